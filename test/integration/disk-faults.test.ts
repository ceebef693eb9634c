// A broker whose data directory lives on the memory file system (storage/fs/memory-fs.ts), with
// disk faults injected under it (memory-fs-faults.ts), seen by real clients: a failed fsync answers
// KAFKA_STORAGE_ERROR to kafkajs and to the Java producer (acks=all), takes the log directory
// offline (never retried and then acknowledged; DescribeLogDirs says so), and a power cut with flush.messages=1 loses
// nothing that was acknowledged.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { DiskFaults } from '../../storage/fs/memory-fs-faults.js';
import { MemoryFileSystem } from '../../storage/fs/memory-fs.js';
import { javaProgram } from './java-helpers.js';

const fs = new MemoryFileSystem();
const faults = new DiskFaults(fs);

function brokerOnMemoryDisk(): Promise<Broker> {
  return startBroker({ dataDir: '/data', fs });
}

function errorTypes(err: unknown): string[] {
  const out: string[] = [];
  for (let e = err as { type?: string; originalError?: unknown; cause?: unknown } | undefined; e; ) {
    if (e.type) out.push(e.type);
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return out;
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

    // The fsync of the next append fails: the request fails, and so does every later one.
    faults.failFsync({ path: '/data/df-0/' });
    await assert.rejects(producer.send({ topic: 'df', acks: -1, messages: [{ value: 'lost-1' }] }), (err) => {
      assert.ok(errorTypes(err).includes('KAFKA_STORAGE_ERROR'), JSON.stringify(errorTypes(err)));
      return true;
    });
    assert.equal(faults.fired.filter((f) => f.op === 'fsync').length, 1);
    const failure = await broker.failed;
    assert.equal(failure.dir, '/data');
    assert.equal(failure.message, 'Error while flushing log for df-0 in dir /data with offset 21');
    await producer.disconnect();

    // The Java producer (acks=all) sees Kafka's KafkaStorageException, without another fsync.
    const java = await javaProgram('DiskFailure', broker.bootstrap, ['df', '2']);
    assert.equal(java.length, 3);
    // DescribeLogDirs: the offline directory answers KAFKA_STORAGE_ERROR.
    assert.deepEqual(java[2], { logDir: '/data', error: 'org.apache.kafka.common.errors.KafkaStorageException', replicas: 0 });
    for (const l of java.slice(0, 2)) {
      assert.equal(l.error, 'org.apache.kafka.common.errors.KafkaStorageException', JSON.stringify(l));
      assert.equal(l.message, 'Disk error when trying to access log file on the disk.');
    }
    assert.equal(faults.fired.length, 1, 'the failed fsync was never retried');

    // The machine dies, the power goes: only what was fsynced remains.
    faults.crashAfterOps(0);
    await broker.stop().catch(() => {});
    faults.powerCut();
    broker = await brokerOnMemoryDisk();
    const consumer = new Kafka({ clientId: 'disk-faults-2', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }).consumer({
      groupId: 'df-check',
    });
    await consumer.connect();
    await consumer.subscribe({ topic: 'df', fromBeginning: true });
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            seen.push(message.value?.toString() ?? '');
            if (seen.length >= acked.length) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    assert.deepEqual(seen.slice(0, acked.length), acked, 'every acknowledged record survived, in order');
    assert.ok(!seen.some((v) => v.startsWith('lost') || v.startsWith('java')), 'nothing unacknowledged is visible');
  });
});
