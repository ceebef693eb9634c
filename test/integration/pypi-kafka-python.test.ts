// PyPI's newest kafka-python (test/python/requirements.txt, with its snappy, lz4 and zstd codecs)
// in test/python/.venv against kafkalite: each codec with keys and headers, a consumer group of
// two members committing, a transaction committed and one aborted, and the KafkaAdminClient.
// Debian's older kafka-python keeps its own tests (kafka-python, groups-kafka-python). The
// scripts are in test/python/scripts.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { venvInterpreter, venvScript } from '../python/venv.js';

describe('kafka-python from PyPI against kafkalite', () => {
  let broker: Broker;
  before(async () => {
    await venvInterpreter();
    broker = await startBroker({ config: { 'group.initial.rebalance.delay.ms': 0 } });
  });
  after(() => broker?.stop());

  test('codecs and headers, a two-member group with commits, transactions', async () => {
    const out = await venvScript<{
      version: string;
      produced: Record<string, number>;
      read: number;
      headersOk: boolean;
      keysOnOnePartition: boolean;
      group: { distinct: number; duplicates: number; assignments: number[][]; committed: number };
      txn: { committed: string[]; uncommitted: string[]; offset: number };
    }>('kp_clients.py', broker.bootstrap, ['kpc']);
    console.log(`kafka-python ${out.version}`);
    assert.deepEqual(out.produced, { none: 20, gzip: 20, snappy: 20, lz4: 20, zstd: 20 });
    assert.equal(out.read, 100);
    assert.ok(out.headersOk && out.keysOnOnePartition);
    assert.deepEqual(out.group, {
      distinct: 100,
      duplicates: 0,
      assignments: [
        [0, 1],
        [2, 3],
      ],
      committed: 100,
    });
    assert.deepEqual(out.txn, { committed: ['c0', 'c1', 'c2', 'c3'], uncommitted: ['a0', 'a1', 'a2', 'c0', 'c1', 'c2', 'c3'], offset: 7 });
  });

  test('KafkaAdminClient: topics, configs, partitions, offsets, records, groups, cluster', async () => {
    const out = await venvScript<Record<string, Record<string, unknown>>>('kp_admin.py', broker.bootstrap, ['kpa']);
    assert.equal(out.createExisting!.error, 'TopicAlreadyExistsError');
    assert.match(
      String(out.createInvalidConfig!.msg),
      /Invalid value sometimes for configuration cleanup\.policy: String must be one of: compact, delete/,
    );
    assert.deepEqual(out.describeTopics, {
      'kpa-a': [
        [0, 1, [1], [1]],
        [1, 1, [1], [1]],
        [2, 1, [1], [1]],
      ],
      'kpa-b': [
        [0, 1, [1], [1]],
        [1, 1, [1], [1]],
      ],
    });
    assert.equal((out.describeAltered!['retention.ms'] as { value: string }).value, '7200000');
    assert.equal((out.describeAltered!['cleanup.policy'] as { value: string }).value, 'delete,compact');
    assert.match(String(out.alterNotANumber!.ok), /Not a number of type LONG/);
    assert.equal(out.shrinkPartitions!.error, 'InvalidPartitionsError');
    assert.deepEqual(out.listLatest, { 0: 10, 1: 5, 2: 0, 3: 0, 4: 0 });
    assert.deepEqual(out.listEarliestAfterDelete, { 0: 4, 1: 0, 2: 0, 3: 0, 4: 0 });
    assert.equal(out.deleteRecordsOutOfRange!.error, 'OffsetOutOfRangeError');
    assert.deepEqual(out.listGroupOffsets, [
      ['kpa-a', 0, 7, 'm'],
      ['kpa-a', 1, 2, ''],
    ]);
    assert.deepEqual(out.listGroups, [{ group_id: 'kpa-g', protocol_type: '', group_state: 'Empty', group_type: 'classic' }]);
    assert.deepEqual(out.describeCluster, { brokers: [1], controllerIsBroker: true, clusterId: true });
    assert.deepEqual(out.deleteGroupsAgain, { ok: "{'kpa-g': 'GroupIdNotFoundError'}" });
    assert.equal(out.deleteTopicsAgain!.error, 'UnknownTopicOrPartitionError');
  });
});
