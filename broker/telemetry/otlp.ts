// The payload of PushTelemetry (KIP-714): an OpenTelemetry `MetricsData` protobuf message
// (opentelemetry-proto, opentelemetry/proto/metrics/v1/metrics.proto), possibly compressed with
// the codec the client chose from the broker's accepted list. Only the messages a metrics
// payload uses are declared below (field numbers as in opentelemetry-proto v1), compiled by
// protobufjs at load; exemplars and exponential histograms are left out (unknown fields are
// skipped by the decoder). Pushes are decoded by otlp-reader.ts, not protobufjs: see there why.

import { createRequire } from 'node:module';
import type * as Protobuf from 'protobufjs';
import { decompress } from '../../protocol/records/compression.js';
import { readMetricsData } from './otlp-reader.js';

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

// protobufjs (CommonJS) and the parsed schema on the first encode (tests and the test kit), not at
// start-up: a broker that never encodes a push never loads them (the CLI's lean start, issue 15).
let metricsData: Protobuf.Type | undefined;
/** protobufjs's MetricsData type (encodeMetrics; test/unit/telemetry-otlp-reader.test.ts decodes with it to check the reader). */
export function metricsType(): Protobuf.Type {
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

/** Decode a push's metrics bytes (decompressed first with `compressionType`, Kafka's codec ids). Throws on bad bytes. */
export function decodeMetrics(bytes: Buffer, compressionType: number): DecodedPush {
  return readMetricsData(compressionType === 0 ? bytes : decompress(compressionType, bytes));
}

/** Encode MetricsData from its JSON form (tests and the test kit build pushes with it). */
export function encodeMetrics(data: Record<string, unknown>): Buffer {
  const type = metricsType();
  return Buffer.from(type.encode(type.fromObject(data)).finish());
}
