// KIP-467 record errors through real clients, on kafkalite and on Apache Kafka 4.4.0
// (test/jvm/kafka.ts): confluent-kafka 2.16 (librdkafka, test/python/scripts/ck_record_errors.py),
// the Java producer 4.4 (test/jvm/programs/RecordErrors.java) and franz-go send a batch with two keyless
// records into a compacted topic, the same one record per batch, and a batch with one record
// older than message.timestamp.before.max.ms. What each client reports per record, and what the
// topics then hold, is asserted on kafkalite and must equal what Kafka 4.4 makes them report.
//
// librdkafka (its test 0011): the keyless records fail with INVALID_RECORD, the rest of their
// batch with the local _INVALID_DIFFERENT_RECORD, nothing of that batch is stored; with one
// record per batch only the keyless ones fail. It reads record errors for INVALID_RECORD only:
// a timestamp error fails the whole batch with INVALID_TIMESTAMP. The Java producer
// (Sender.failBatch) fails the records named by the record errors with InvalidRecordException /
// InvalidTimestampException carrying the broker's per-record message, the others of the batch
// with a KafkaException; only a MESSAGE_TOO_LARGE batch of several records is split and retried
// (Sender.completeBatch), and then every record is delivered. franz-go (test/go, `franz record-errors`) reads no record errors: every
// record of the batch fails with the partition's error.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { franz, franzBinary } from '../go/franz.js';
import { startKafka, type RealKafka } from '../jvm/kafka.js';
import { venvInterpreter, venvScript } from '../python/venv.js';
import { javaProgram, type Json } from './java-helpers.js';

const INVALID_DIFFERENT = {
  code: '_INVALID_DIFFERENT_RECORD',
  str: 'Local: an invalid record in the same batch caused the failure of this message too',
  retriable: false,
};
const INVALID_RECORD = { code: 'INVALID_RECORD', str: 'Broker: Broker failed to validate record', retriable: false };
const INVALID_TIMESTAMP = { code: 'INVALID_TIMESTAMP', str: 'Broker: Invalid timestamp', retriable: false };
const KEYLESS = [3, 7];
const OTHERS_OF_BATCH = 'Failed to append record because it was part of a batch which had one more more invalid records';

/** Epoch-millisecond numbers (timestamp bounds in messages) replaced: each broker has its own clock. */
const timeless = (v: unknown) => JSON.parse(JSON.stringify(v).replace(/\b\d{13}\b/g, '<time>'));

describe('KIP-467 record errors: librdkafka, the Java producer and franz-go, kafkalite vs Kafka 4.4', { timeout: 300_000 }, () => {
  let broker: Broker;
  let kafka: RealKafka;
  before(async () => {
    await Promise.all([venvInterpreter(), franzBinary()]);
    [broker, kafka] = await Promise.all([startBroker(), startKafka()]);
  });
  after(async () => {
    await broker?.stop();
    await kafka?.stop();
  });

  test('confluent-kafka 2.16 (librdkafka): the bad records fail, their batch with them, as in librdkafka test 0011', async () => {
    const [ours, theirs] = await Promise.all([
      venvScript<Json>('ck_record_errors.py', broker.bootstrap, ['cre']),
      venvScript<Json>('ck_record_errors.py', kafka.bootstrap, ['cre']),
    ]);
    assert.deepEqual(
      ours.batch,
      Array.from({ length: 10 }, (_, i) => (KEYLESS.includes(i) ? INVALID_RECORD : INVALID_DIFFERENT)),
    );
    assert.deepEqual(
      ours.single,
      Array.from({ length: 10 }, (_, i) => (KEYLESS.includes(i) ? INVALID_RECORD : null)),
    );
    assert.deepEqual(ours.timestamp, Array(5).fill(INVALID_TIMESTAMP));
    assert.deepEqual(ours.stored, {
      batch: [],
      single: [0, 1, 2, 4, 5, 6, 8, 9].map((m, offset) => [offset, `m-${m}`]),
      timestamp: [],
    });
    assert.deepEqual(ours, theirs);
  });

  test('Java producer 4.4: the bad records fail with the broker message, the rest of their batch with a KafkaException', async () => {
    // One JVM at a time: the machine is shared.
    const ours = await javaProgram('RecordErrors', broker.bootstrap, ['jre']);
    const theirs = await javaProgram('RecordErrors', kafka.bootstrap, ['jre']);
    const byCase = (lines: Json[]) => Object.fromEntries(lines.map((l) => [l.case, l]));
    const o = byCase(ours);
    const keyless = {
      error: 'InvalidRecordException',
      message: 'Compacted topic cannot accept message without key in topic partition jre-batch-0',
    };
    assert.deepEqual(
      o.batch.sends,
      Array.from({ length: 10 }, (_, i) => (KEYLESS.includes(i) ? keyless : { error: 'KafkaException', message: OTHERS_OF_BATCH })),
    );
    assert.deepEqual(o.batch.stored, []);
    // batch.size=1: the producer's accumulator decides which records share a batch; those that
    // share one with a keyless record fail with it, the others are stored.
    const single = o.single.sends as Json[];
    for (const i of KEYLESS) {
      assert.deepEqual(single[i], { ...keyless, message: keyless.message.replace('jre-batch', 'jre-single') });
    }
    const delivered = single.flatMap((s, i) => ('offset' in s ? [`${s.offset}:m-${i}`] : []));
    assert.ok(delivered.length >= 4, `records delivered: ${delivered.join(' ')}`);
    assert.deepEqual(o.single.stored, delivered);
    const ts = o.timestamp.sends as Json[];
    assert.equal(ts[2].error, 'InvalidTimestampException');
    assert.match(ts[2].message, /^Timestamp 1000 of message with offset 2 is out of range\. The timestamp should be within \[\d+, \d+\]$/);
    assert.deepEqual(
      ts.filter((_, i) => i !== 2),
      Array(4).fill({ error: 'KafkaException', message: OTHERS_OF_BATCH }),
    );
    // MESSAGE_TOO_LARGE for a batch of several records: the producer splits it and retries, all delivered.
    assert.deepEqual(
      o.split.sends,
      Array.from({ length: 20 }, (_, offset) => ({ offset })),
    );
    assert.equal(o.split.stored.length, 20);
    assert.deepEqual(timeless(byCase(ours)), timeless(byCase(theirs)));
  });

  test('franz-go: every record of the batch fails with the broker error, nothing is stored', async () => {
    const [ours, theirs] = await Promise.all([
      franz<Json>('record-errors', broker.bootstrap, ['-prefix', 'fre']),
      franz<Json>('record-errors', kafka.bootstrap, ['-prefix', 'fre']),
    ]);
    const failed = (error: string) => ({ broker: true, error });
    assert.deepEqual(
      ours.batch,
      Array(10).fill(failed('INVALID_RECORD: This record has failed the validation on the broker and hence been rejected.')),
    );
    assert.deepEqual(ours.timestamp, Array(5).fill(failed('INVALID_TIMESTAMP: The timestamp of the message is out of acceptable range.')));
    assert.deepEqual(ours.highWatermarks, { 'fre-batch': 0, 'fre-ts': 0 });
    assert.deepEqual(ours, theirs);
  });
});
