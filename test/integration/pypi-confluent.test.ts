// PyPI's newest confluent-kafka (test/python/requirements.txt, with the librdkafka its wheel
// bundles) in test/python/.venv against kafkalite: each codec with keys and headers, consumer
// groups with the classic protocol (cooperative-sticky) and with group.protocol=consumer
// (KIP-848), commits, transactions (commit and abort visibility, send_offsets_to_transaction)
// and the AdminClient. Debian's older confluent-kafka keeps its own tests (eos-confluent,
// groups-librdkafka). The scripts are in test/python/scripts.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { venvInterpreter, venvScript } from '../python/venv.js';

interface GroupRun {
  distinct: number;
  duplicates: number;
  assignments: number[][];
  committed: number;
}

describe('confluent-kafka from PyPI against kafkalite', () => {
  let broker: Broker;
  before(async () => {
    await venvInterpreter();
    broker = await startBroker({ config: { 'group.initial.rebalance.delay.ms': 0, 'group.consumer.heartbeat.interval.ms': 500 } });
  });
  after(() => broker?.stop());

  test('codecs and headers, classic and KIP-848 consumer groups with commits', async () => {
    const out = await venvScript<{
      version: string;
      libversion: string;
      produced: Record<string, number>;
      read: number;
      headersOk: boolean;
      keysOnOnePartition: boolean;
      classic: GroupRun;
      consumer: GroupRun;
    }>('ck_clients.py', broker.bootstrap, ['ckp']);
    console.log(`confluent-kafka ${out.version}, librdkafka ${out.libversion}`);
    assert.match(out.libversion, /^2\.(1[5-9]|[2-9]\d)\./, 'a librdkafka of 2.15 or newer, bundled with the wheel');
    assert.deepEqual(out.produced, { none: 25, gzip: 25, snappy: 25, lz4: 25, zstd: 25 });
    assert.equal(out.read, 125);
    assert.ok(out.headersOk, 'every record kept its key and headers');
    assert.ok(out.keysOnOnePartition);
    for (const protocol of ['classic', 'consumer'] as const) {
      const g = out[protocol];
      assert.deepEqual(
        [g.distinct, g.duplicates, g.committed, g.assignments],
        [
          125,
          0,
          125,
          [
            [0, 1],
            [2, 3],
          ],
        ],
        `${protocol}: ${JSON.stringify(g)}`,
      );
    }
  });

  test('transactions: commit and abort visibility, send_offsets_to_transaction', async () => {
    const out = await venvScript<{ committed: string[]; uncommitted: string[]; offset: number; highWatermarks: Record<string, number> }>(
      'ck_txn.py',
      broker.bootstrap,
      ['ckt'],
    );
    assert.deepEqual(out.committed, ['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
    assert.deepEqual(out.uncommitted, ['a0', 'a1', 'a2', 'a3', 'c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
    assert.equal(out.offset, 17, 'the aborted transaction did not commit its offset');
    assert.deepEqual(out.highWatermarks, { 0: 9, 1: 6 }, 'records and one marker per transaction and partition');
  });

  test('AdminClient: topics, partitions, configs, offsets, records, groups, cluster', async () => {
    const out = await venvScript<Record<string, unknown>>('ck_admin.py', broker.bootstrap, ['cka']);
    assert.deepEqual(out.createTopics, { 'cka-a': 'ok', 'cka-b': 'ok' });
    assert.deepEqual(out.createExisting, { 'cka-a': { err: 'TOPIC_ALREADY_EXISTS', msg: "Topic 'cka-a' already exists." } });
    assert.deepEqual(out.listTopics, { 'cka-a': [0, 1, 2], 'cka-b': [0, 1] }, 'validate_only created nothing');
    assert.deepEqual(out.describeAltered, {
      'retention.ms': { value: '7200000', source: '1', default: false, readOnly: false },
      'cleanup.policy': { value: 'delete,compact', source: '1', default: false, readOnly: false },
    });
    assert.deepEqual(out.alterNotANumber, {
      err: 'INVALID_CONFIG',
      msg: 'Invalid value soon for configuration retention.ms: Not a number of type LONG',
    });
    assert.deepEqual(out.listLatest, { 0: 10, 1: 5, 2: 0 });
    assert.deepEqual(out.deleteRecords, { 0: 4 });
    assert.deepEqual(out.listEarliestAfterDelete, { 0: 4, 1: 0, 2: 0 });
    assert.deepEqual(out.listGroupOffsets, {
      'cka-g': [
        ['cka-a', 0, 7],
        ['cka-a', 1, 2],
      ],
    });
    assert.deepEqual((out.describeGroups as Record<string, unknown>)['cka-live'], {
      state: 'ConsumerGroupState.STABLE',
      assignor: 'range',
      simple: false,
      members: 1,
      assigned: [0, 1, 2, 3, 4],
    });
    assert.deepEqual(out.deleteGroupsAgain, { 'cka-g': { err: 'GROUP_ID_NOT_FOUND', msg: 'Broker: The group id does not exist' } });
    assert.deepEqual(out.deleteTopics, { 'cka-a': 'ok', 'cka-b': 'ok' });
  });
});
