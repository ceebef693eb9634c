// Produce's per-batch and per-record validation (Kafka's ProduceRequest.validateRecords,
// UnifiedLog.analyzeAndValidateRecords, LogValidator) with KIP-467 record errors: which error
// code a partition gets, its `error_message`, and `record_errors` (`batch_index`,
// `batch_index_error_message`); a Fetch after some of them shows what the log stored.
// The malformed batches are built with our encoder (protocol/records/) and patched in place.

import { Fetch, Produce } from '../../../protocol/messages/index.js';
import {
  ATTRIBUTES_OFFSET,
  BATCH_LENGTH_OFFSET,
  buildBatch,
  Codec,
  compress,
  encodeLegacy,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAX_TIMESTAMP_OFFSET,
  RECORD_BATCH_OVERHEAD,
  RECORDS_COUNT_OFFSET,
  TIMESTAMP_TYPE_MASK,
  writeCrc,
  writeInt64,
  type RecordInput,
} from '../../../protocol/records/index.js';
import type { Rule } from '../normalise.js';
import type { Ctx, Scenario, Step } from '../oracle.js';
import { createTopic, fetchBody, produceBody, records, TS } from '../steps.js';

type Batch = (c: Ctx) => Buffer;

const produce = (suffix: string, batch: Batch, extra: Record<string, unknown> = {}): Step => ({
  api: Produce,
  body: (c) => produceBody(c.name(suffix), batch(c), 0, extra),
});

const fetchAll = (suffix: string): Step => ({ api: Fetch, body: (c) => fetchBody(c, suffix, [{ offset: 0 }]) });

const withTopic = (configs: Record<string, string>, steps: Step[]): Step[] => [...createTopic('t', 1, configs), ...steps];

/** A copy of `batch` with `edit` applied to its bytes, the CRC recomputed. */
function patched(batch: Buffer, edit: (b: Buffer) => void): Buffer {
  const b = Buffer.from(batch);
  edit(b);
  writeCrc(b, 0);
  return b;
}

/** The uncompressed batch's records compressed with `codec`, the header kept (length, attributes, CRC updated). */
function compressed(batch: Buffer, codec: number): Buffer {
  const payload = compress(codec, batch.subarray(RECORD_BATCH_OVERHEAD));
  const out = Buffer.concat([batch.subarray(0, RECORD_BATCH_OVERHEAD), payload]);
  out.writeInt32BE(out.length - LOG_OVERHEAD, BATCH_LENGTH_OFFSET);
  out.writeInt16BE((out.readInt16BE(ATTRIBUTES_OFFSET) & ~7) | codec, ATTRIBUTES_OFFSET);
  writeCrc(out, 0);
  return out;
}

const rec = (i: number, o: Partial<RecordInput> = {}): RecordInput => ({ key: `k${i}`, value: `v${i}`, timestamp: TS + i, ...o });

/** Three records whose header count says `count` and last offset delta says `count - 1`. */
const miscounted = (count: number) =>
  patched(records(3), (b) => {
    b.writeInt32BE(count, RECORDS_COUNT_OFFSET);
    b.writeInt32BE(count - 1, LAST_OFFSET_DELTA_OFFSET);
  });

/** One record with a header whose key is null (an empty key `''` patched to length -1). */
function nullHeaderKey(): Buffer {
  const b = buildBatch({ records: [rec(0, { key: 'K', value: 'V', headers: [{ key: '', value: 'HV' }] })] });
  // ... value 'V' (len 1: 0x02 'V'), header count 1 (0x02), key length 0 (0x00), value 'HV' (0x04 'HV')
  const at = b.indexOf(Buffer.from([0x02, 0x56, 0x02, 0x00, 0x04, 0x48, 0x56]));
  if (at < 0) throw new Error('nullHeaderKey: layout not found');
  return patched(b, (x) => {
    x[at + 3] = 0x01; // zigzag(-1): a null key
  });
}

/** Records with offset deltas 0, 2, 4 (lastOffsetDelta 2, count 3): not consecutive. */
const gappedOffsets = () =>
  patched(buildBatch({ records: [0, 1, 2].map((i) => rec(i, { offsetDelta: 2 * i })) }), (b) =>
    b.writeInt32BE(2, LAST_OFFSET_DELTA_OFFSET),
  );

const nullKeys = (n: number, keyed: number[] = [], compression: number = Codec.NONE) =>
  buildBatch({ records: Array.from({ length: n }, (_, i) => rec(i, { key: keyed.includes(i) ? `k${i}` : null })), compression });

const HOUR = 3_600_000;

const BY_INDEX: Rule = {
  path: 'responses[*].partitionResponses',
  action: 'sort',
  key: 'index',
  reason: 'Kafka answers the partitions of a topic from a hash map (KafkaApis.handleProduceRequest)',
};

/** One magic-1 message. */
const legacy = () => encodeLegacy([{ offset: 0, key: Buffer.from('k'), value: Buffer.from('v'), timestamp: TS }], 1);

export const PRODUCE_ERROR_SCENARIOS: Scenario[] = [
  // Per-record errors (KIP-467).
  {
    id: 'produce-errors/compacted-null-keys',
    api: Produce,
    about: 'four keyless records of five: four record errors, the message shows the first three',
    steps: withTopic({ 'cleanup.policy': 'compact' }, [produce('t', () => nullKeys(5, [2])), fetchAll('t')]),
  },
  {
    id: 'produce-errors/compacted-null-key-gzip',
    api: Produce,
    steps: withTopic({ 'cleanup.policy': 'compact' }, [produce('t', () => nullKeys(3, [0, 2], Codec.GZIP))]),
  },
  {
    id: 'produce-errors/timestamp-too-old',
    api: Produce,
    about: 'message.timestamp.before.max.ms: the old records fail, each with its offset and the bounds',
    steps: withTopic({ 'message.timestamp.before.max.ms': String(HOUR) }, [
      produce('t', () =>
        buildBatch({ records: [rec(0, { timestamp: Date.now() }), rec(1, { timestamp: 1000 }), rec(2, { timestamp: 2000 })] }),
      ),
    ]),
  },
  {
    id: 'produce-errors/timestamp-too-new',
    api: Produce,
    about: 'message.timestamp.after.max.ms (one hour by default in Kafka 4); a lower bound of ten years keeps the message comparable',
    steps: withTopic({ 'message.timestamp.before.max.ms': String(10 * 365 * 24 * HOUR) }, [
      produce('t', () => buildBatch({ records: [rec(0, { timestamp: Date.now() + 3 * HOUR }), rec(1, { timestamp: Date.now() })] })),
      fetchAll('t'),
    ]),
  },
  {
    id: 'produce-errors/timestamp-and-null-key',
    api: Produce,
    about: 'a keyless record and an old one: one INVALID_TIMESTAMP answer carries both record errors',
    steps: withTopic({ 'cleanup.policy': 'compact', 'message.timestamp.before.max.ms': String(HOUR) }, [
      produce('t', () => buildBatch({ records: [rec(0, { key: null, timestamp: Date.now() }), rec(1, { timestamp: 1000 }), rec(2)] })),
    ]),
  },
  {
    id: 'produce-errors/log-append-time-bit',
    api: Produce,
    about: 'a producer setting the LogAppendTime bit: accepted on a CreateTime topic when its max timestamp is in range',
    steps: withTopic({}, [
      produce('t', () => buildBatch({ records: [rec(0), rec(1)], timestampType: 1, maxTimestamp: TS + 5 })),
      fetchAll('t'),
    ]),
  },
  {
    id: 'produce-errors/log-append-time-bit-on-log-append-time-topic',
    api: Produce,
    steps: withTopic({ 'message.timestamp.type': 'LogAppendTime' }, [
      produce('t', () =>
        patched(records(2), (b) => b.writeInt16BE(b.readInt16BE(ATTRIBUTES_OFFSET) | TIMESTAMP_TYPE_MASK, ATTRIBUTES_OFFSET)),
      ),
    ]),
  },

  // Batch shape (Kafka's LogValidator.validateBatch, DefaultRecordBatch's record iterator).
  {
    id: 'produce-errors/count-above-offset-delta',
    api: Produce,
    steps: withTopic({}, [produce('t', () => patched(records(3), (b) => b.writeInt32BE(4, RECORDS_COUNT_OFFSET)))]),
  },
  {
    id: 'produce-errors/count-zero',
    api: Produce,
    steps: withTopic({}, [
      produce('t', () =>
        patched(records(1), (b) => {
          b.writeInt32BE(0, RECORDS_COUNT_OFFSET);
          b.writeInt32BE(-1, LAST_OFFSET_DELTA_OFFSET);
        }),
      ),
    ]),
  },
  {
    id: 'produce-errors/count-below-records',
    api: Produce,
    about: 'header says 2, three records follow',
    steps: withTopic({}, [produce('t', () => miscounted(2))]),
  },
  {
    id: 'produce-errors/count-above-records',
    api: Produce,
    about: 'header says 4, three records follow',
    steps: withTopic({}, [produce('t', () => miscounted(4))]),
  },
  {
    id: 'produce-errors/count-above-records-gzip',
    api: Produce,
    steps: withTopic({}, [produce('t', () => compressed(miscounted(4), Codec.GZIP))]),
  },
  {
    id: 'produce-errors/gapped-inner-offsets',
    api: Produce,
    about: 'offset deltas 0, 2, 4 uncompressed: stored as sent',
    steps: withTopic({}, [produce('t', gappedOffsets), fetchAll('t')]),
  },
  {
    id: 'produce-errors/gapped-inner-offsets-recompressed',
    api: Produce,
    about: 'offset deltas 0, 2, 4 into a gzip topic: rebuilt with consecutive offsets',
    steps: withTopic({ 'compression.type': 'gzip' }, [
      produce('t', gappedOffsets),
      produce('t', () => compressed(gappedOffsets(), Codec.SNAPPY)),
      fetchAll('t'),
    ]),
  },
  {
    id: 'produce-errors/gapped-inner-offsets-gzip',
    api: Produce,
    about: 'offset deltas 0, 2, 4 in a gzip batch to a topic that keeps the producer codec',
    steps: withTopic({}, [produce('t', () => compressed(gappedOffsets(), Codec.GZIP)), fetchAll('t')]),
  },
  {
    id: 'produce-errors/max-timestamp-header-wrong',
    api: Produce,
    about: "a header max timestamp above the records': the log stores the records' own",
    steps: withTopic({}, [produce('t', () => patched(records(3), (b) => writeInt64(b, MAX_TIMESTAMP_OFFSET, TS + 100))), fetchAll('t')]),
  },
  { id: 'produce-errors/null-header-key', api: Produce, steps: withTopic({}, [produce('t', nullHeaderKey)]) },
  {
    id: 'produce-errors/null-header-key-gzip',
    api: Produce,
    steps: withTopic({}, [produce('t', () => compressed(nullHeaderKey(), Codec.GZIP))]),
  },
  {
    id: 'produce-errors/trailing-bytes',
    api: Produce,
    about: 'a record length that leaves bytes after the last record',
    steps: withTopic({}, [
      produce('t', () => {
        const b = records(2);
        const out = Buffer.concat([b, Buffer.from([0, 0, 0])]);
        out.writeInt32BE(out.length - LOG_OVERHEAD, BATCH_LENGTH_OFFSET);
        writeCrc(out, 0);
        return out;
      }),
    ]),
  },
  { id: 'produce-errors/control-batch', api: Produce, steps: withTopic({}, [produce('t', () => records(1, { control: true }))]) },
  {
    id: 'produce-errors/sequence-without-producer',
    api: Produce,
    about: 'a producer id with no base sequence',
    steps: withTopic({}, [produce('t', () => records(1, { producerId: 5, producerEpoch: 0, baseSequence: -1 }))]),
  },
  {
    id: 'produce-errors/transactional-without-id',
    api: Produce,
    about: 'a transactional batch in a request without a transactional id: the whole request fails',
    steps: withTopic({}, [produce('t', () => records(1, { producerId: 5, producerEpoch: 0, baseSequence: 0, transactional: true }))]),
  },
  {
    id: 'produce-errors/base-offset-not-zero',
    api: Produce,
    steps: withTopic({}, [produce('t', () => records(2, { baseOffset: 7 }))]),
  },
  {
    id: 'produce-errors/legacy-magic-at-v3',
    api: Produce,
    about: 'a magic 1 message set in a v3+ request',
    steps: withTopic({}, [produce('t', () => legacy())]),
  },
  { id: 'produce-errors/empty-records', api: Produce, steps: withTopic({}, [produce('t', () => Buffer.alloc(0))]) },
  {
    id: 'produce-errors/two-batches',
    api: Produce,
    steps: withTopic({}, [produce('t', () => Buffer.concat([records(1), records(1)]))]),
  },
  {
    id: 'produce-errors/invalid-acks-unknown-topic',
    api: Produce,
    about: 'acks=2: unknown topics still answer UNKNOWN_TOPIC_OR_PARTITION, v3+ shape errors their own error',
    steps: [
      ...createTopic('t', 2),
      {
        api: Produce,
        body: (c) => ({
          transactionalId: null,
          acks: 2,
          timeoutMs: 5000,
          topicData: [
            {
              name: c.name('t'),
              partitionData: [
                { index: 0, records: records(1) },
                { index: 1, records: legacy() },
              ],
            },
            { name: c.name('missing'), partitionData: [{ index: 0, records: records(1) }] },
          ],
        }),
      },
    ],
  },

  {
    id: 'produce-errors/one-bad-partition',
    api: Produce,
    about: 'record errors are per partition: the other partition of the request is appended',
    normalise: [BY_INDEX],
    steps: [
      ...createTopic('t', 2, { 'cleanup.policy': 'compact' }),
      {
        api: Produce,
        body: (c) => ({
          transactionalId: null,
          acks: -1,
          timeoutMs: 5000,
          topicData: [
            {
              name: c.name('t'),
              partitionData: [
                { index: 0, records: nullKeys(3, [0, 2]) },
                { index: 1, records: records(2) },
              ],
            },
          ],
        }),
      },
    ],
  },
  {
    id: 'produce-errors/same-partition-twice',
    api: Produce,
    about: 'a partition named twice in one request',
    steps: withTopic({}, [
      {
        api: Produce,
        body: (c) => ({
          transactionalId: null,
          acks: -1,
          timeoutMs: 5000,
          topicData: [
            {
              name: c.name('t'),
              partitionData: [
                { index: 0, records: records(1) },
                { index: 0, records: records(2) },
              ],
            },
          ],
        }),
      },
      fetchAll('t'),
    ]),
  },
  {
    id: 'produce-errors/transactional-without-producer-id',
    api: Produce,
    about: 'a transactional batch without a producer id, in a request with a transactional id',
    steps: withTopic({}, [produce('t', () => records(1, { transactional: true }), { transactionalId: 'no-such-txn' })]),
  },
  {
    id: 'produce-errors/corrupt-gzip',
    api: Produce,
    about: 'a gzip batch whose payload does not decompress (CRC valid)',
    steps: withTopic({}, [
      produce('t', () => {
        const b = buildBatch({ records: [rec(0, { value: 'x'.repeat(200) })], compression: Codec.GZIP });
        return patched(b, (x) => x.fill(0x55, RECORD_BATCH_OVERHEAD + 12, RECORD_BATCH_OVERHEAD + 30));
      }),
    ]),
  },

  {
    id: 'produce-errors/unknown-codec',
    api: Produce,
    about: 'compression codec id 6 in the attributes',
    steps: withTopic({}, [produce('t', () => patched(records(1), (b) => b.writeInt16BE(6, ATTRIBUTES_OFFSET)))]),
  },
  // Null records are not compared: Kafka 4.4 never answers such a Produce (kafkalite: as empty ones).

  // Sizes.
  {
    id: 'produce-errors/max-message-bytes',
    api: Produce,
    steps: withTopic({ 'max.message.bytes': '100' }, [produce('t', () => records(1, { prefix: 'x'.repeat(60) }))]),
  },
  {
    id: 'produce-errors/recompressed-too-large',
    api: Produce,
    about: 'gzip from the producer fits, the uncompressed copy the topic asks for does not',
    steps: withTopic({ 'max.message.bytes': '200', 'compression.type': 'uncompressed' }, [
      produce('t', () => buildBatch({ records: [rec(0, { value: 'a'.repeat(500) })], compression: Codec.GZIP })),
    ]),
  },
  {
    id: 'produce-errors/segment-bytes',
    api: Produce,
    about: 'a batch larger than segment.bytes',
    steps: withTopic({ 'segment.bytes': '1048576', 'max.message.bytes': '2000000' }, [
      produce('t', () => records(1, { prefix: 'x'.repeat(1_048_600) })),
    ]),
  },

  // Compression to the topic's compression.type.
  {
    id: 'produce-errors/recompress-to-topic-codec',
    api: Produce,
    steps: withTopic({ 'compression.type': 'gzip' }, [
      produce('t', () => records(3)),
      produce('t', () => records(2, { compression: Codec.SNAPPY })),
      fetchAll('t'),
    ]),
  },
];
