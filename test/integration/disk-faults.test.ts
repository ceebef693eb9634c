// A broker whose data directory lives on the memory file system (storage/fs/memory-fs.ts), with
// disk faults injected under it (memory-fs-faults.ts), seen by real clients: a failed fsync answers
// KAFKA_STORAGE_ERROR to the Java producer (acks=all) and then to kafkajs, takes the log directory
// offline (never retried and then acknowledged; DescribeLogDirs says so), and a power cut with flush.messages=1 loses
// nothing that was acknowledged.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { DiskFaults } from '../../storage/fs/memory-fs-faults.js';
import { MemoryFileSystem } from '../../storage/fs/memory-fs.js';
import { ErrorCode } from '../../protocol/errors.js';
import { produceErrorCodes, readFromStart, rejectsWithType } from './disk-faults-helpers.js';
import { Fetch } from '../../protocol/messages/index.js';
import { javaProgram } from './java-helpers.js';
import { WireClient } from './wire-client.js';

const fs = new MemoryFileSystem();
const faults = new DiskFaults(fs);

function brokerOnMemoryDisk(): Promise<Broker> {
  return startBroker({ dataDir: '/data', fs });
}

describe('disk faults under a broker (memory file system)', () => {
  let broker: Broker | undefined;
  after(() => broker?.stop().catch(() => {}));

  test('a failed fsync answers KAFKA_STORAGE_ERROR and takes the directory offline; a power cut keeps every acknowledged record', async () => {
    broker = await brokerOnMemoryDisk();
    const kafka = new Kafka({ clientId: 'disk-faults', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'df', numPartitions: 1, configEntries: [{ name: 'flush.messages', value: '1' }] }] });
    await admin.disconnect();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const acked: string[] = [];
    for (let i = 0; i < 20; i++) {
      await producer.send({ topic: 'df', acks: -1, messages: [{ value: `v${i}` }] });
      acked.push(`v${i}`);
    }

    // The fsync of the next append fails: the Java producer (acks=all) meets it and gets Kafka's
    // KafkaStorageException.
    faults.failFsync({ path: '/data/df-0/' });
    const java = await javaProgram('DiskFailure', broker.bootstrap, ['df', '1']);
    assert.equal(java.length, 2);
    assert.equal(java[0]!.error, 'org.apache.kafka.common.errors.KafkaStorageException', JSON.stringify(java[0]));
    assert.equal(java[0]!.message, 'Disk error when trying to access log file on the disk.');
    // DescribeLogDirs: the offline directory answers KAFKA_STORAGE_ERROR.
    assert.deepEqual(java[1], { logDir: '/data', error: 'org.apache.kafka.common.errors.KafkaStorageException', replicas: 0 });
    assert.equal(faults.fired.filter((f) => f.op === 'fsync').length, 1);
    const failure = await broker.failed;
    assert.equal(failure.dir, '/data');
    assert.equal(failure.message, 'Error while flushing log for df-0 in dir /data with offset 21');

    // kafkajs, whose metadata still names the old leader (as clients of a Kafka whose directory just
    // failed), gets KAFKA_STORAGE_ERROR at once (the directory is offline, no fsync is tried again),
    // refreshes its metadata, finds no leader and gives up with LEADER_NOT_AVAILABLE.
    const produces = broker.requests.record({ api: 'Produce' });
    await rejectsWithType(producer.send({ topic: 'df', acks: -1, messages: [{ value: 'lost-1' }] }), 'LEADER_NOT_AVAILABLE');
    const answered = produceErrorCodes(produces.stop());
    assert.deepEqual(answered, [ErrorCode.KAFKA_STORAGE_ERROR]);
    await producer.disconnect();
    assert.equal(faults.fired.length, 1, 'the failed fsync was never retried');

    // Fetch from the offline directory: KAFKA_STORAGE_ERROR without offsets (ReplicaManager.readFromLocalLog).
    const wire = await WireClient.connect(broker.bootstrap);
    const fetched = await wire.send(Fetch, 12, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: 'df',
          partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 1 << 20 }],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    });
    const part = fetched.responses[0]!.partitions[0]!;
    assert.deepEqual([part.errorCode, Number(part.highWatermark), Number(part.logStartOffset)], [ErrorCode.KAFKA_STORAGE_ERROR, -1, -1]);
    await wire.close();

    // The machine dies, the power goes: only what was fsynced remains.
    faults.crashAfterOps(0);
    await broker.stop().catch(() => {});
    faults.powerCut();
    broker = await brokerOnMemoryDisk();
    const seen = await readFromStart(broker.bootstrap, 'df', 'df-check', acked.length);
    assert.deepEqual(seen.slice(0, acked.length), acked, 'every acknowledged record survived, in order');
    assert.ok(!seen.some((v) => v.startsWith('lost') || v.startsWith('java')), 'nothing unacknowledged is visible');
  });
});
