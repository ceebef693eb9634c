// The payload of PushTelemetry (KIP-714): an OpenTelemetry `MetricsData` protobuf message
// (opentelemetry-proto, opentelemetry/proto/metrics/v1/metrics.proto), possibly compressed with
// the codec the client chose from the broker's accepted list. Only the messages a metrics
// payload uses are declared below (field numbers as in opentelemetry-proto v1), compiled by
// protobufjs at load; exemplars and exponential histograms are left out (unknown fields are
// skipped by the decoder).

import { createRequire } from 'node:module';
import type * as Protobuf from 'protobufjs';
import { decompress } from '../../protocol/records/compression.js';

const PROTO = `
syntax = "proto3";
package otlp;

message MetricsData { repeated ResourceMetrics resource_metrics = 1; }
message ResourceMetrics { Resource resource = 1; repeated ScopeMetrics scope_metrics = 2; string schema_url = 3; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message ScopeMetrics { InstrumentationScope scope = 1; repeated Metric metrics = 2; string schema_url = 3; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; }
message Metric {
  string name = 1;
  string description = 2;
  string unit = 3;
  oneof data { Gauge gauge = 5; Sum sum = 7; Histogram histogram = 9; Summary summary = 11; }
}
message Gauge { repeated NumberDataPoint data_points = 1; }
message Sum { repeated NumberDataPoint data_points = 1; int32 aggregation_temporality = 2; bool is_monotonic = 3; }
message Histogram { repeated HistogramDataPoint data_points = 1; int32 aggregation_temporality = 2; }
message Summary { repeated SummaryDataPoint data_points = 1; }
message NumberDataPoint {
  repeated KeyValue attributes = 7;
  fixed64 start_time_unix_nano = 2;
  fixed64 time_unix_nano = 3;
  oneof value { double as_double = 4; sfixed64 as_int = 6; }
}
message HistogramDataPoint {
  repeated KeyValue attributes = 9;
  fixed64 start_time_unix_nano = 2;
  fixed64 time_unix_nano = 3;
  fixed64 count = 4;
  optional double sum = 5;
}
message SummaryDataPoint {
  repeated KeyValue attributes = 7;
  fixed64 start_time_unix_nano = 2;
  fixed64 time_unix_nano = 3;
  fixed64 count = 4;
  double sum = 5;
}
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
`;

// protobufjs (CommonJS) and the parsed schema on the first push, not at start-up: a broker no
// client pushes telemetry to never loads them (the CLI's lean start, issue 15).
let metricsData: Protobuf.Type | undefined;
function metricsType(): Protobuf.Type {
  if (!metricsData) {
    const protobuf = createRequire(import.meta.url)('protobufjs') as typeof Protobuf;
    metricsData = protobuf.parse(PROTO, { keepCase: false }).root.lookupType('otlp.MetricsData');
  }
  return metricsData;
}

/** AggregationTemporality. */
export const Temporality = { UNSPECIFIED: 0, DELTA: 1, CUMULATIVE: 2 } as const;

export type MetricKind = 'gauge' | 'sum' | 'histogram' | 'summary';

/** One data point of a pushed metric, flattened. */
export interface MetricPoint {
  /** The metric's OpenTelemetry name, e.g. org.apache.kafka.producer.record.queue.time.avg. */
  name: string;
  kind: MetricKind;
  /** sum: monotonic (a counter). */
  monotonic: boolean;
  /** sum and histogram: DELTA (1) or CUMULATIVE (2). */
  temporality: number;
  /** gauge and sum: the value; histogram and summary: the sum of observations. */
  value: number;
  /** histogram and summary: the count of observations. */
  count?: number;
  attributes: Record<string, string>;
  /** Milliseconds since the epoch (from time_unix_nano), 0 when unset. */
  timeMs: number;
  unit: string;
  description: string;
}

export interface DecodedPush {
  /** Resource attributes (the client's identity as it reports it). */
  resource: Record<string, string>;
  points: MetricPoint[];
}

interface AnyValueJson {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: AnyValueJson[] };
  kvlistValue?: { values?: KeyValueJson[] };
  bytesValue?: string;
}
interface KeyValueJson {
  key?: string;
  value?: AnyValueJson;
}
interface PointJson {
  attributes?: KeyValueJson[];
  timeUnixNano?: string | number;
  asDouble?: number;
  asInt?: string | number;
  count?: string | number;
  sum?: number;
}
interface MetricJson {
  name?: string;
  description?: string;
  unit?: string;
  gauge?: { dataPoints?: PointJson[] };
  sum?: { dataPoints?: PointJson[]; aggregationTemporality?: number; isMonotonic?: boolean };
  histogram?: { dataPoints?: PointJson[]; aggregationTemporality?: number };
  summary?: { dataPoints?: PointJson[] };
}
interface MetricsDataJson {
  resourceMetrics?: Array<{ resource?: { attributes?: KeyValueJson[] }; scopeMetrics?: Array<{ metrics?: MetricJson[] }> }>;
}

function anyValue(v: AnyValueJson | undefined): string {
  if (!v) return '';
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return String(v.boolValue);
  if (v.intValue !== undefined) return String(v.intValue);
  if (v.doubleValue !== undefined) return String(v.doubleValue);
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(anyValue).join(',');
  if (v.kvlistValue) return (v.kvlistValue.values ?? []).map((kv) => `${kv.key}=${anyValue(kv.value)}`).join(',');
  if (v.bytesValue !== undefined) return v.bytesValue;
  return '';
}

function attributes(list: KeyValueJson[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list ?? []) if (kv.key) out[kv.key] = anyValue(kv.value);
  return out;
}

const nanosToMs = (n: string | number | undefined) => (n === undefined ? 0 : Math.floor(Number(BigInt(n) / 1_000_000n)));

/** Decode a push's metrics bytes (decompressed first with `compressionType`, Kafka's codec ids). Throws on bad bytes. */
export function decodeMetrics(bytes: Buffer, compressionType: number): DecodedPush {
  const raw = compressionType === 0 ? bytes : decompress(compressionType, bytes);
  const type = metricsType();
  const message = type.decode(raw);
  const data = type.toObject(message, { longs: String, bytes: String, defaults: false, oneofs: false }) as MetricsDataJson;
  const resource: Record<string, string> = {};
  const points: MetricPoint[] = [];
  for (const rm of data.resourceMetrics ?? []) {
    Object.assign(resource, attributes(rm.resource?.attributes));
    for (const sm of rm.scopeMetrics ?? []) {
      for (const m of sm.metrics ?? []) {
        const base = { name: m.name ?? '', unit: m.unit ?? '', description: m.description ?? '' };
        const point = (p: PointJson, kind: MetricKind, extra: Partial<MetricPoint>): MetricPoint => ({
          ...base,
          kind,
          monotonic: false,
          temporality: Temporality.UNSPECIFIED,
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

/** Encode MetricsData from its JSON form (tests and the test kit build pushes with it). */
export function encodeMetrics(data: Record<string, unknown>): Buffer {
  const type = metricsType();
  return Buffer.from(type.encode(type.fromObject(data)).finish());
}
