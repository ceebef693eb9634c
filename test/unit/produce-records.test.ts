// broker/produce-records.ts without a broker: the per-record checks of Kafka's LogValidator and
// the KIP-467 record errors they raise (the same cases run against Kafka 4.4 in
// test/oracle/scenarios/produce-errors.ts), and what the log is handed to store.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prepareProduceBatch } from '../../broker/produce-records.js';
import { ErrorCode, RecordValidationError } from '../../protocol/errors.js';
import {
  buildBatch,
  Codec,
  decodeBatchRecords,
  RECORD_BATCH_OVERHEAD,
  readBatchHeader,
  writeCrc,
  type RecordInput,
} from '../../protocol/records/index.js';

const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;
const LONG_MAX = '9223372036854775807';

function config(over: Record<string, string> = {}): Map<string, string> {
  return new Map(
    Object.entries({
      'max.message.bytes': '1048588',
      'segment.bytes': '1073741824',
      'cleanup.policy': 'delete',
      'compression.type': 'producer',
      'message.timestamp.type': 'CreateTime',
      'message.timestamp.before.max.ms': LONG_MAX,
      'message.timestamp.after.max.ms': String(HOUR),
      ...over,
    }),
  );
}

const rec = (i: number, o: Partial<RecordInput> = {}): RecordInput => ({ key: `k${i}`, value: `v${i}`, timestamp: NOW, ...o });

function prepare(batch: Buffer, over: Record<string, string> = {}) {
  return prepareProduceBatch(batch, config(over), { apiVersion: 9, now: NOW, transactionalId: null, topicPartition: 't-0' });
}

function rejected(fn: () => unknown): RecordValidationError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof RecordValidationError, String(e));
    return e;
  }
  assert.fail('expected a RecordValidationError');
}

test('compacted topic: every keyless record is a record error, the message shows the first three', () => {
  const batch = buildBatch({ records: [0, 1, 2, 3, 4].map((i) => rec(i, { key: i === 2 ? 'k' : null })) });
  const e = rejected(() => prepare(batch, { 'cleanup.policy': 'compact' }));
  assert.equal(e.errorCode, ErrorCode.INVALID_RECORD);
  const msg = 'Compacted topic cannot accept message without key in topic partition t-0';
  assert.deepEqual(
    e.recordErrors,
    [0, 1, 3, 4].map((batchIndex) => ({ batchIndex, batchIndexErrorMessage: msg })),
  );
  assert.equal(
    e.message,
    `One or more records have been rejected due to 4 record errors in total, and only showing the first three errors at most: [${[0, 1, 3]
      .map((i) => `RecordError(batchIndex=${i}, message='${msg}')`)
      .join(', ')}]`,
  );
});

test('timestamps: bounds printed with Java long arithmetic; a timestamp error makes the partition INVALID_TIMESTAMP', () => {
  const future = rejected(() => prepare(buildBatch({ records: [rec(0), rec(1, { timestamp: NOW + 2 * HOUR })] })));
  assert.equal(future.errorCode, ErrorCode.INVALID_TIMESTAMP);
  assert.equal(future.message, 'One or more records have been rejected due to invalid timestamp');
  assert.deepEqual(future.recordErrors, [
    {
      batchIndex: 1,
      batchIndexErrorMessage: `Timestamp ${NOW + 2 * HOUR} of message with offset 1 is out of range. The timestamp should be within [${BigInt(NOW) - BigInt(LONG_MAX)}, ${NOW + HOUR}]`,
    },
  ]);
  // A keyless record and an old one: one answer with both record errors.
  const mixed = rejected(() =>
    prepare(buildBatch({ records: [rec(0, { key: null }), rec(1, { timestamp: 1000 })] }), {
      'cleanup.policy': 'compact',
      'message.timestamp.before.max.ms': String(HOUR),
    }),
  );
  assert.equal(mixed.errorCode, ErrorCode.INVALID_TIMESTAMP);
  assert.deepEqual(
    mixed.recordErrors?.map((r) => r.batchIndex),
    [0, 1],
  );
  // LogAppendTime topics do not check the producer's timestamps.
  assert.ok(prepare(buildBatch({ records: [rec(0, { timestamp: 1000 })] }), { 'message.timestamp.type': 'LogAppendTime' }));
});

test('a producer-set LogAppendTime bit: cleared on a CreateTime topic, record errors on a LogAppendTime topic', () => {
  const lat = () => buildBatch({ records: [rec(0), rec(1)], timestampType: 1, maxTimestamp: NOW });
  const kept = prepare(lat())!;
  assert.equal(readBatchHeader(kept.batches).timestampType, 0);
  assert.equal(readBatchHeader(kept.batches).maxTimestamp, NOW);
  const e = rejected(() => prepare(lat(), { 'message.timestamp.type': 'LogAppendTime' }));
  assert.equal(e.errorCode, ErrorCode.INVALID_TIMESTAMP);
  assert.equal(
    e.recordErrors?.[1]?.batchIndexErrorMessage,
    `Invalid timestamp type in message DefaultRecord(offset=1, timestamp=${NOW}, key=2 bytes, value=2 bytes). Producer should not set timestamp type to LogAppendTime.`,
  );
});

test("the stored batch: the records' own max timestamp; compressed gapped offsets rebuilt consecutive", () => {
  const lying = prepare(buildBatch({ records: [rec(0), rec(1, { timestamp: NOW + 5 })], maxTimestamp: NOW + 99 }))!;
  assert.equal(readBatchHeader(lying.batches).maxTimestamp, NOW + 5);
  const gapped = buildBatch({ records: [0, 1, 2].map((i) => rec(i, { offsetDelta: 2 * i })), lastOffsetDelta: 2, compression: Codec.GZIP });
  const rebuilt = prepare(gapped)!;
  assert.equal(readBatchHeader(rebuilt.batches).compression, Codec.GZIP);
  assert.deepEqual(
    decodeBatchRecords(rebuilt.batches).records.map((r) => r.offset),
    [0, 1, 2],
  );
});

test('a compressed payload that does not decompress is UNKNOWN_SERVER_ERROR, as Kafka answers it', () => {
  const b = buildBatch({ records: [rec(0, { value: 'x'.repeat(200) })], compression: Codec.GZIP });
  b.fill(0x55, RECORD_BATCH_OVERHEAD + 12, RECORD_BATCH_OVERHEAD + 30);
  writeCrc(b, 0);
  assert.equal(rejected(() => prepare(b)).errorCode, ErrorCode.UNKNOWN_SERVER_ERROR);
});
