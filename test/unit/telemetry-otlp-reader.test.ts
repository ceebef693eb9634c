// broker/telemetry/otlp-reader.ts decodes PushTelemetry payloads from the wire format: it must give
// what decoding with protobufjs (the schema of broker/telemetry/otlp.ts, read as the broker did
// before the reader) gives, on a payload with every message, oneof and value type the reader
// knows, on unknown fields, and on thousands of truncated and corrupted copies (both throw, or
// both give the same).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type DecodedPush,
  type MetricKind,
  type MetricPoint,
  decodeMetrics,
  encodeMetrics,
  metricsType,
} from '../../broker/telemetry/otlp.js';
import { readMetricsData } from '../../broker/telemetry/otlp-reader.js';

// ---- the reference: protobufjs decode + toObject, mapped as broker/telemetry/otlp.ts did ----

// biome-ignore lint/suspicious/noExplicitAny: toObject's output is untyped JSON
type Json = any;

function anyValue(v: Json): string {
  if (!v) return '';
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return String(v.boolValue);
  if (v.intValue !== undefined) return String(v.intValue);
  if (v.doubleValue !== undefined) return String(v.doubleValue);
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(anyValue).join(',');
  if (v.kvlistValue) return (v.kvlistValue.values ?? []).map((kv: Json) => `${kv.key}=${anyValue(kv.value)}`).join(',');
  if (v.bytesValue !== undefined) return v.bytesValue;
  return '';
}

function attributes(list: Json[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list ?? []) if (kv.key) out[kv.key] = anyValue(kv.value);
  return out;
}

const nanosToMs = (n: string | undefined) => (n === undefined ? 0 : Math.floor(Number(BigInt(n) / 1_000_000n)));

function reference(raw: Buffer): DecodedPush {
  const type = metricsType();
  const data = type.toObject(type.decode(raw), { longs: String, bytes: String, defaults: false, oneofs: false }) as Json;
  const resource: Record<string, string> = {};
  const points: MetricPoint[] = [];
  for (const rm of data.resourceMetrics ?? []) {
    Object.assign(resource, attributes(rm.resource?.attributes));
    for (const sm of rm.scopeMetrics ?? []) {
      for (const m of sm.metrics ?? []) {
        const base = { name: m.name ?? '', unit: m.unit ?? '', description: m.description ?? '' };
        const point = (p: Json, kind: MetricKind, extra: Partial<MetricPoint>): MetricPoint => ({
          ...base,
          kind,
          monotonic: false,
          temporality: 0,
          value: p.asDouble ?? (p.asInt !== undefined ? Number(p.asInt) : (p.sum ?? 0)),
          attributes: attributes(p.attributes),
          timeMs: nanosToMs(p.timeUnixNano),
          ...extra,
        });
        if (m.gauge) for (const p of m.gauge.dataPoints ?? []) points.push(point(p, 'gauge', {}));
        else if (m.sum) {
          const extra = { monotonic: m.sum.isMonotonic ?? false, temporality: m.sum.aggregationTemporality ?? 0 };
          for (const p of m.sum.dataPoints ?? []) points.push(point(p, 'sum', extra));
        } else if (m.histogram) {
          const temporality = m.histogram.aggregationTemporality ?? 0;
          for (const p of m.histogram.dataPoints ?? []) points.push(point(p, 'histogram', { temporality, count: Number(p.count ?? 0) }));
        } else if (m.summary) {
          for (const p of m.summary.dataPoints ?? []) points.push(point(p, 'summary', { count: Number(p.count ?? 0) }));
        }
      }
    }
  }
  return { resource, points };
}

// ---- a payload using everything -------------------------------------------------------------

const kv = (key: string, value: Json) => ({ key, value });
const rich = {
  resourceMetrics: [
    {
      resource: {
        attributes: [kv('client_id', { stringValue: 'producer-1' }), kv('n', { intValue: '-42' }), kv('', { stringValue: 'no key' })],
        droppedAttributesCount: 3,
      },
      schemaUrl: 'https://example.com/schema',
      scopeMetrics: [
        {
          scope: { name: 'org.apache.kafka', version: '4.4.0', attributes: [kv('s', { boolValue: true })] },
          metrics: [
            {
              name: 'org.apache.kafka.producer.record.queue.time.avg',
              description: 'The average time',
              unit: 'ms',
              gauge: {
                dataPoints: [
                  {
                    attributes: [kv('client_id', { stringValue: 'p' }), kv('b', { boolValue: false }), kv('d', { doubleValue: 2.5 })],
                    startTimeUnixNano: '1700000000000000000',
                    timeUnixNano: '1796687292402123456',
                    asDouble: 0,
                  },
                  { asInt: '-9007199254740993', timeUnixNano: '18446744073709551615' },
                  { attributes: [kv('arr', { arrayValue: { values: [{ stringValue: 'x' }, { intValue: '7' }, {}] } })] },
                ],
              },
            },
            {
              name: 'org.apache.kafka.producer.record.send.total',
              sum: {
                aggregationTemporality: 1,
                isMonotonic: true,
                dataPoints: [
                  {
                    asDouble: 12.75,
                    attributes: [kv('kv', { kvlistValue: { values: [kv('a', { stringValue: '1' }), { value: { intValue: '2' } }] } })],
                  },
                ],
              },
            },
            { name: 'cumulative', sum: { aggregationTemporality: 2, dataPoints: [{ asInt: '5' }] } },
            {
              name: 'latency',
              unit: 's',
              histogram: {
                aggregationTemporality: 2,
                dataPoints: [
                  { count: '18446744073709551615', sum: 1.5, attributes: [kv('bytes', { bytesValue: Buffer.from([0, 1, 254, 255]) })] },
                  { count: '3' },
                ],
              },
            },
            { name: 'summary', summary: { dataPoints: [{ count: '4', sum: 8, timeUnixNano: '1000000' }, {}] } },
            { name: 'no data' },
          ],
        },
        { metrics: [{ name: 'second scope', gauge: { dataPoints: [{ asDouble: -1e300 }] } }] },
      ],
    },
    { resource: { attributes: [kv('client_id', { stringValue: 'overridden' }), kv('host', { stringValue: 'h' })] } },
  ],
};

/** Field 99 (length-delimited, varint, fixed32, fixed64, group) appended to a message: unknown to both decoders. */
function withUnknownFields(payload: Buffer): Buffer {
  const tag = (field: number, wire: number) => {
    const v = (field << 3) | wire;
    return v < 128 ? [v] : [(v & 127) | 128, v >> 7];
  };
  return Buffer.concat([
    payload,
    Buffer.from([...tag(99, 2), 3, 1, 2, 3]),
    Buffer.from([...tag(98, 0), 0xff, 0xff, 0x01]),
    Buffer.from([...tag(97, 5), 1, 2, 3, 4]),
    Buffer.from([...tag(96, 1), 1, 2, 3, 4, 5, 6, 7, 8]),
    Buffer.from([...tag(95, 3), ...tag(1, 0), 5, ...tag(95, 4)]),
  ]);
}

function outcome(f: () => DecodedPush): { ok: true; value: DecodedPush } | { ok: false } {
  try {
    return { ok: true, value: f() };
  } catch {
    return { ok: false };
  }
}

test('the reader decodes every message, oneof and value type as protobufjs does', () => {
  const payload = encodeMetrics(rich);
  const got = readMetricsData(payload);
  assert.deepEqual(got, reference(payload));
  assert.equal(got.points.length, 10);
  assert.deepEqual(got.resource, { client_id: 'overridden', n: '-42', host: 'h' });
  const histogram = got.points.find((p) => p.kind === 'histogram')!;
  assert.deepEqual(histogram.attributes, { bytes: 'AAH+/w==' });
  assert.equal(histogram.count, Number(2n ** 64n - 1n));
  assert.deepEqual(got.points[2]!.attributes, { arr: 'x,7,' });
  assert.deepEqual(got.points[3]!.attributes, { kv: 'a=1,undefined=2' });
  // Unknown fields of every wire type are skipped, here at the top level.
  assert.deepEqual(readMetricsData(withUnknownFields(payload)), reference(withUnknownFields(payload)));
  // decodeMetrics decompresses first (0: none).
  assert.deepEqual(decodeMetrics(payload, 0), got);
});

test('on truncated and corrupted payloads the reader throws or decodes as protobufjs does', () => {
  const payload = withUnknownFields(encodeMetrics(rich));
  let seed = 15;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  let agreedOk = 0;
  let agreedThrow = 0;
  const check = (bytes: Buffer, what: string) => {
    const mine = outcome(() => readMetricsData(bytes));
    const theirs = outcome(() => reference(bytes));
    assert.equal(mine.ok, theirs.ok, `${what}: reader ${mine.ok ? 'decoded' : 'threw'}, protobufjs ${theirs.ok ? 'decoded' : 'threw'}`);
    if (mine.ok && theirs.ok) {
      assert.deepEqual(mine.value, theirs.value, what);
      agreedOk++;
    } else agreedThrow++;
  };
  for (let n = 0; n < payload.length; n++) check(payload.subarray(0, n), `truncated to ${n} bytes`);
  for (let i = 0; i < 3000; i++) {
    const bytes = Buffer.from(payload);
    const at = Math.floor(random() * bytes.length);
    bytes[at] = Math.floor(random() * 256);
    check(bytes, `byte ${at} set to ${bytes[at]}`);
  }
  check(Buffer.from('garbage'), 'garbage');
  assert.ok(agreedOk > 100 && agreedThrow > 100, `both outcomes exercised (${agreedOk} decoded, ${agreedThrow} threw)`);
});
