// Retention and compaction seen by stock clients, on a broker with a virtual clock (memory and
// disk stores): kafka-python produces (with explicit record timestamps) and consumes, kafkajs
// reads the earliest/latest offsets (ListOffsets). Retention moves the log start offset, a
// consumer at a deleted offset gets OFFSET_OUT_OF_RANGE and auto.offset.reset applies;
// compaction keeps the latest record per key at its original offset and drops tombstones after
// delete.retention.ms.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import type { VirtualClock } from '../../storage/clock.js';
import type { PartitionLog } from '../../storage/types.js';
import { hasPythonModule, python, requireTool, tempDir } from './helpers.js';

const HOUR = 3_600_000;
const CHECK = 300_000;

const PRELUDE = `
import sys, json
from kafka import KafkaProducer, KafkaConsumer, TopicPartition
from kafka.errors import OffsetOutOfRangeError
bs = sys.argv[1]
def consume(topic, reset, seek=None, want=None):
    c = KafkaConsumer(bootstrap_servers=bs, group_id=None, auto_offset_reset=reset, fetch_max_wait_ms=0,
                      enable_auto_commit=False, consumer_timeout_ms=1500)
    tp = TopicPartition(topic, 0)
    c.assign([tp])
    if seek is not None: c.seek(tp, seek)
    out = []
    try:
        for m in c:
            out.append([m.offset, m.key.decode() if m.key is not None else None, m.value.decode() if m.value is not None else None])
            if want is not None and m.offset >= want - 1: break
        return {'records': out, 'begin': c.beginning_offsets([tp])[tp], 'end': c.end_offsets([tp])[tp]}
    except OffsetOutOfRangeError as e:
        return {'error': 'OffsetOutOfRangeError', 'records': out}
    finally:
        c.close()
`;

async function kafkajsOffsets(broker: Broker, topic: string): Promise<{ low: number; high: number }> {
  const admin = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, clientId: 'storage-offsets' }).admin();
  await admin.connect();
  try {
    const [p] = await admin.fetchTopicOffsets(topic);
    return { low: Number(p!.low), high: Number(p!.high) };
  } finally {
    await admin.disconnect();
  }
}

function logOf(broker: Broker, topic: string): PartitionLog & { segmentBaseOffsets: number[] } {
  return broker.core.topics.get(topic)!.partitions[0]!.log as PartitionLog & { segmentBaseOffsets: number[] };
}

for (const store of ['memory', 'disk'] as const) {
  describe(`retention and compaction through clients (${store} store)`, () => {
    let broker: Broker;
    let clock: VirtualClock;
    const dir = tempDir();
    before(async () => {
      requireTool(() => hasPythonModule('kafka'), 'python3-kafka');
      broker = await startBroker({
        clock: 'virtual',
        dataDir: store === 'disk' ? dir.path : undefined,
        topics: {
          aged: { partitions: 1, configs: { 'retention.ms': String(HOUR), 'segment.bytes': '1024' } },
          sized: { partitions: 1, configs: { 'retention.bytes': '2048', 'segment.bytes': '1024' } },
          keyed: {
            partitions: 1,
            configs: {
              'cleanup.policy': 'compact',
              'segment.bytes': '1024',
              'delete.retention.ms': String(HOUR),
              'min.cleanable.dirty.ratio': '0.01',
            },
          },
        },
      });
      clock = broker.clock as VirtualClock;
    });
    after(async () => {
      await broker?.stop();
      dir.remove();
    });

    test('retention.ms and retention.bytes move the log start offset; OFFSET_OUT_OF_RANGE and auto.offset.reset work', async () => {
      const t0 = clock.now();
      await python(
        `${PRELUDE}
p = KafkaProducer(bootstrap_servers=bs, linger_ms=0)
for i in range(50):
    ts = ${t0 - 2 * HOUR} if i < 30 else ${t0}
    p.send('aged', value=('aged-%03d-' % i).encode() + b'x' * 80, partition=0, timestamp_ms=ts).get(timeout=10)
for i in range(40):
    p.send('sized', value=('sized-%03d-' % i).encode() + b'x' * 80, partition=0).get(timeout=10)
p.close()
print(json.dumps({}))
`,
        broker.bootstrap,
      );
      assert.deepEqual(await kafkajsOffsets(broker, 'aged'), { low: 0, high: 50 });
      await clock.advance(CHECK);

      const aged = logOf(broker, 'aged');
      const lso = aged.logStartOffset;
      assert.ok(lso > 0 && lso <= 30, `log start offset ${lso}`);
      assert.equal(lso, aged.segmentBaseOffsets[0]);
      assert.deepEqual(await kafkajsOffsets(broker, 'aged'), { low: lso, high: 50 });
      const sized = await kafkajsOffsets(broker, 'sized');
      assert.ok(sized.low > 0 && logOf(broker, 'sized').size >= 2048, `sized: ${JSON.stringify(sized)}`);
      assert.equal(sized.high, 40);

      const out = await python<
        Record<string, { records: Array<[number, string | null, string]>; begin?: number; end?: number; error?: string }>
      >(
        `${PRELUDE}
print(json.dumps({
  'none': consume('aged', 'none', seek=0),
  'earliest': consume('aged', 'earliest', seek=0, want=50),
  'latest': consume('aged', 'latest', seek=0),
  'sized': consume('sized', 'earliest', seek=0, want=40),
}))
`,
        broker.bootstrap,
      );
      assert.equal(out.none!.error, 'OffsetOutOfRangeError', 'fetching a deleted offset fails without a reset policy');
      const earliest = out.earliest!;
      assert.equal(earliest.begin, lso);
      assert.equal(earliest.end, 50);
      assert.deepEqual(
        earliest.records.map((r) => r[0]),
        Array.from({ length: 50 - lso }, (_, i) => lso + i),
        'reset to the log start offset, then everything to the end',
      );
      assert.ok(earliest.records.every((r) => r[2].startsWith(`aged-${String(r[0]).padStart(3, '0')}-`)));
      assert.deepEqual(out.latest!.records, [], 'latest: nothing until new records come');
      assert.equal(out.sized!.records[0]![0], sized.low);
      assert.equal(out.sized!.records.length, 40 - sized.low);
    });

    test('compaction keeps the latest record per key at its original offset, then drops tombstones after delete.retention.ms', async () => {
      const sent = await python<Array<[number, string, string | null]>>(
        `${PRELUDE}
p = KafkaProducer(bootstrap_servers=bs, linger_ms=0)
sent = []
def send(k, v):
    md = p.send('keyed', key=k.encode(), value=None if v is None else v.encode(), partition=0).get(timeout=10)
    sent.append([md.offset, k, v])
for r in range(6):
    for k in range(10):
        send('k%d' % k, 'k%d-round%d-' % (k, r) + 'y' * 40)
send('k3', None)
send('k7', None)
for i in range(12):
    send('z%d' % i, 'filler-%d-' % i + 'y' * 40)
p.close()
print(json.dumps(sent))
`,
        broker.bootstrap,
      );
      assert.deepEqual(
        sent.map((s) => s[0]),
        sent.map((_, i) => i),
      );
      const log = logOf(broker, 'keyed');
      const activeBase = log.segmentBaseOffsets.at(-1)!;
      assert.ok(activeBase > 62, `the tombstones are below the active segment (base ${activeBase})`);
      const expected = (dropTombstones: boolean) => {
        const latest = new Map<string, number>();
        for (const [offset, key] of sent) if (offset < activeBase) latest.set(key, offset);
        return sent.filter(
          ([offset, key, value]) => offset >= activeBase || (latest.get(key) === offset && (value !== null || !dropTombstones)),
        );
      };
      const consumeAll = async () =>
        (
          await python<{ records: Array<[number, string, string | null]> }>(
            `${PRELUDE}\nprint(json.dumps(consume('keyed', 'earliest', want=${sent.length})))`,
            broker.bootstrap,
          )
        ).records;

      await clock.advance(15_000);
      const first = await consumeAll();
      assert.deepEqual(first, expected(false));
      assert.ok(first.length < sent.length);
      assert.ok(
        first.some(([, key, value]) => key === 'k3' && value === null),
        'the k3 tombstone is kept for now',
      );
      assert.deepEqual(await kafkajsOffsets(broker, 'keyed'), { low: 0, high: sent.length });
      if (store === 'disk') {
        assert.equal(fs.readFileSync(path.join(dir.path, 'cleaner-offset-checkpoint'), 'utf8'), `0\n1\nkeyed 0 ${activeBase}\n`);
      }

      await clock.advance(HOUR + 15_000);
      const later = await consumeAll();
      assert.deepEqual(later, expected(true));
      assert.ok(!later.some(([, key]) => key === 'k3' || key === 'k7'), 'deleted keys are gone');
      assert.deepEqual(await kafkajsOffsets(broker, 'keyed'), { low: 0, high: sent.length });
    });
  });
}
