// The clients' pushed metrics (KIP-714) in Prometheus text format 0.0.4, appended to the
// broker's own metrics on /metrics (broker/metrics.ts). One family per pushed metric name:
// `kafkalite_client_` + the OpenTelemetry name with every character outside [a-zA-Z0-9_]
// turned into `_` (org.apache.kafka.producer.record.queue.time.avg →
// kafkalite_client_org_apache_kafka_producer_record_queue_time_avg). Labels: client_instance_id,
// client_id, client_software_name, client_software_version, then the data point's attributes
// (topic, partition, node_id, ...). Gauges are gauges; monotonic sums are counters holding the
// running total (delta pushes added up by ClientTelemetry); other sums gauges; histograms and
// summaries their _sum and _count. A family's TYPE comes from the first client that pushed it.

import type { ClientPush } from './manager.js';
import { seriesKey } from './manager.js';

export const CLIENT_METRIC_PREFIX = 'kafkalite_client_';
const IDENTITY_LABELS = ['client_instance_id', 'client_id', 'client_software_name', 'client_software_version'] as const;

/** A Prometheus metric or label name from any string. */
export function promName(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

interface Family {
  type: 'gauge' | 'counter' | 'summary';
  help: string;
  lines: string[];
}

/** The text of every client's latest push; '' when no client pushed. */
export function clientMetricsText(clients: readonly ClientPush[]): string {
  const families = new Map<string, Family>();
  const family = (name: string, type: Family['type'], help: string): Family => {
    let f = families.get(name);
    if (!f) {
      f = { type, help, lines: [] };
      families.set(name, f);
    }
    return f;
  };
  for (const c of clients) {
    const identity: Array<[string, string]> = [
      ['client_instance_id', c.clientInstanceId],
      ['client_id', c.clientId],
      ['client_software_name', c.clientSoftwareName],
      ['client_software_version', c.clientSoftwareVersion],
    ];
    for (const p of c.points) {
      const labels = [...identity];
      for (const [k, v] of Object.entries(p.attributes)) {
        const name = promName(k);
        if (!(IDENTITY_LABELS as readonly string[]).includes(name) && !labels.some(([l]) => l === name)) labels.push([name, v]);
      }
      const text = `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
      const base = CLIENT_METRIC_PREFIX + promName(p.name);
      const help = (p.description || p.name).replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
      if (p.kind === 'gauge' || (p.kind === 'sum' && !p.monotonic)) {
        family(base, 'gauge', help).lines.push(`${base}${text} ${formatValue(p.value)}`);
      } else if (p.kind === 'sum') {
        const name = base.endsWith('_total') ? base : `${base}_total`;
        const total = c.totals.get(seriesKey(p)) ?? p.value;
        family(name, 'counter', help).lines.push(`${name}${text} ${formatValue(total)}`);
      } else {
        const f = family(base, 'summary', help);
        f.lines.push(`${base}_sum${text} ${formatValue(p.value)}`, `${base}_count${text} ${formatValue(p.count ?? 0)}`);
      }
    }
  }
  let out = '';
  for (const [name, f] of families) out += `# HELP ${name} ${f.help}\n# TYPE ${name} ${f.type}\n${f.lines.join('\n')}\n`;
  return out;
}
