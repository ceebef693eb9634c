// A client's latest push as JSON, the one shape the HTTP API (broker/http/routes-clients.ts) and
// the control API (broker/control/) answer with.

import { codecName } from '../../protocol/records/compression.js';
import { type ClientPush, seriesKey } from './manager.js';

/** JSON has no NaN or infinities (Java clients report NaN for an average with no samples). */
const finite = (v: number) => (Number.isFinite(v) ? v : null);

export interface ClientSummaryJson {
  clientInstanceId: string;
  clientId: string;
  clientSoftwareName: string;
  clientSoftwareVersion: string;
  clientSourceAddress: string;
  clientSourcePort: string;
  /** When the latest push arrived (ISO 8601, broker clock). */
  receivedAt: string;
  pushIntervalMs: number;
  pushes: number;
  bytes: number;
  compression: string;
  terminating: boolean;
  metricCount: number;
}

export interface MetricPointJson {
  name: string;
  kind: string;
  /** gauge: the value; monotonic sum: the running total; histogram/summary: the sum; null for NaN and infinities. */
  value: number | null;
  count?: number;
  unit: string;
  description: string;
  attributes: Record<string, string>;
}

export interface ClientPushJson extends ClientSummaryJson {
  resource: Record<string, string>;
  metrics: MetricPointJson[];
}

export function clientSummary(c: ClientPush): ClientSummaryJson {
  return {
    clientInstanceId: c.clientInstanceId,
    clientId: c.clientId,
    clientSoftwareName: c.clientSoftwareName,
    clientSoftwareVersion: c.clientSoftwareVersion,
    clientSourceAddress: c.clientSourceAddress,
    clientSourcePort: c.clientSourcePort,
    receivedAt: new Date(c.receivedAt).toISOString(),
    pushIntervalMs: c.pushIntervalMs,
    pushes: c.pushes,
    bytes: c.bytes,
    compression: codecName(c.compressionType),
    terminating: c.terminating,
    metricCount: c.points.length,
  };
}

export function clientDetail(c: ClientPush): ClientPushJson {
  return {
    ...clientSummary(c),
    resource: c.resource,
    metrics: c.points.map((p) => ({
      name: p.name,
      kind: p.kind,
      value: finite(p.kind === 'sum' && p.monotonic ? (c.totals.get(seriesKey(p)) ?? p.value) : p.value),
      ...(p.count === undefined ? {} : { count: p.count }),
      unit: p.unit,
      description: p.description,
      attributes: p.attributes,
    })),
  };
}
