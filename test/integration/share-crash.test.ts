// kill -9 of the CLI broker in the middle of a share group's stream (KIP-932 durability): every
// acknowledgement the broker answered before the kill is in `__share_group_state` (ShareUpdate
// records appended before the answer), so after the restart accepted records are never
// delivered again, while released records and records that were acquired but not acknowledged
// are delivered again, each with its delivery count carried over.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateTopics, IncrementalAlterConfigs, Metadata, Produce, ShareAcknowledge, ShareFetch } from '../../protocol/messages/index.js';
import { buildBatch } from '../../protocol/records/index.js';
import { startCli, tempDir } from './helpers.js';
import { WireClient } from './wire-client.js';
import { shareFetchBody } from './share-group-client.js';

const A = 'AAAAAAAAAAAAAAAAAAAAAQ';
const B = 'AAAAAAAAAAAAAAAAAAAAAg';

const fetchReq = (member: string, epoch: number, topicId: string) => shareFetchBody('crash', member, epoch, topicId);

test('SIGKILL mid-stream: answered acknowledgements survive, unacknowledged records come back', { timeout: 60_000 }, async () => {
  const dir = tempDir('kafkalite-share-crash-');
  let cli = await startCli(['--data-dir', dir.path]);
  try {
    let c = await WireClient.connect(cli.bootstrap);
    const created = await c.send(CreateTopics, 7, {
      topics: [{ name: 'k', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 10_000,
      validateOnly: false,
    });
    assert.equal(created.topics[0]!.errorCode, 0);
    const md = await c.send(Metadata, 12, { topics: [{ name: 'k' }], allowAutoTopicCreation: false });
    const topicId = md.topics[0]!.topicId;
    const alter = await c.send(IncrementalAlterConfigs, 1, {
      resources: [
        { resourceType: 32, resourceName: 'crash', configs: [{ name: 'share.auto.offset.reset', configOperation: 0, value: 'earliest' }] },
      ],
      validateOnly: false,
    });
    assert.equal(alter.responses[0]!.errorCode, 0);
    const records = Array.from({ length: 100 }, (_, i) => ({ value: `v${i}` }));
    const produced = await c.send(Produce, 12, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 5000,
      topicData: [{ name: 'k', partitionData: [{ index: 0, records: buildBatch({ records }) }] }],
    });
    assert.equal(produced.responses[0]!.partitionResponses[0]!.errorCode, 0);

    const first = await c.send(ShareFetch, 1, fetchReq(A, 0, topicId));
    assert.deepEqual(first.responses[0]!.partitions[0]!.acquiredRecords, [{ firstOffset: 0, lastOffset: 99, deliveryCount: 1 }]);
    const ack = await c.send(ShareAcknowledge, 1, {
      groupId: 'crash',
      memberId: A,
      shareSessionEpoch: 1,
      topics: [
        {
          topicId,
          partitions: [
            {
              partitionIndex: 0,
              acknowledgementBatches: [
                { firstOffset: 0, lastOffset: 59, acknowledgeTypes: [1] },
                { firstOffset: 60, lastOffset: 69, acknowledgeTypes: [2] },
              ],
            },
          ],
        },
      ],
    });
    assert.equal(ack.responses[0]!.partitions[0]!.errorCode, 0);
    // 70-99 stay acquired and unacknowledged: the broker dies holding them.
    assert.notEqual(await cli.stop('SIGKILL'), 0);
    c.close();

    cli = await startCli(['--data-dir', dir.path]);
    c = await WireClient.connect(cli.bootstrap);
    const again = await c.send(ShareFetch, 1, fetchReq(B, 0, topicId));
    assert.equal(again.responses[0]!.partitions[0]!.errorCode, 0);
    assert.deepEqual(again.responses[0]!.partitions[0]!.acquiredRecords, [{ firstOffset: 60, lastOffset: 99, deliveryCount: 2 }]);
    const accept = await c.send(ShareAcknowledge, 1, {
      groupId: 'crash',
      memberId: B,
      shareSessionEpoch: 1,
      topics: [
        {
          topicId,
          partitions: [{ partitionIndex: 0, acknowledgementBatches: [{ firstOffset: 60, lastOffset: 99, acknowledgeTypes: [1] }] }],
        },
      ],
    });
    assert.equal(accept.responses[0]!.partitions[0]!.errorCode, 0);
    const none = await c.send(ShareFetch, 1, fetchReq(B, 2, topicId));
    assert.deepEqual(none.responses[0]?.partitions[0]?.acquiredRecords ?? [], [], 'everything acknowledged');
    c.close();
  } finally {
    await cli.stop('SIGKILL');
    dir.remove();
  }
});
