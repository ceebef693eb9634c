// What a mirror tells its user: the progress line while copying (records/s since the last line,
// lag per partition) and the final report (per topic, groups, totals and rates).

import { columns } from '../commands/common.js';
import type { CopyPartition } from './copy.js';
import type { GroupResult } from './groups.js';
import type { PlannedTopic } from './plan.js';

export interface MirrorReport {
  from: string;
  to: string;
  topics: PlannedTopic[];
  parts: CopyPartition[];
  groups: GroupResult[];
  warnings: string[];
  errors: string[];
  elapsedMs: number;
}

export function totals(parts: readonly CopyPartition[]): { records: number; bytes: number } {
  let records = 0;
  let bytes = 0;
  for (const p of parts) {
    records += p.records;
    bytes += p.bytes;
  }
  return { records, bytes };
}

export function lagOf(p: CopyPartition): number {
  return Math.max(0, (p.end ?? p.sourceEnd) - p.mapping.sourceNext) + p.skip;
}

export function progressLine(parts: readonly CopyPartition[], ratePerSec: number): string {
  const { records } = totals(parts);
  const lag = parts.map((p) => `${p.topic}-${p.partition}:${lagOf(p)}`).join(' ');
  const totalLag = parts.reduce((n, p) => n + lagOf(p), 0);
  return `mirror: ${records} records copied, ${Math.round(ratePerSec)} records/s, lag ${totalLag} (${lag})`;
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(2);
}

export function formatReport(r: MirrorReport): string {
  const lines: string[] = [`Mirrored ${r.from} -> ${r.to}`, ''];
  const rows = [['TOPIC', 'PARTITIONS', 'RECORDS', 'BYTES', 'TARGET', 'STATUS']];
  for (const t of r.topics) {
    const parts = r.parts.filter((p) => p.topic === t.name);
    const { records, bytes } = totals(parts);
    const failed = parts.filter((p) => p.error !== null).length;
    const status = t.error !== null ? 'refused' : failed > 0 ? `${failed} partition(s) failed` : 'ok';
    rows.push([t.name, String(t.partitions), String(records), String(bytes), t.created ? 'created' : 'existing', status]);
  }
  lines.push(columns(rows), '');
  if (r.groups.length > 0) {
    const g = [['GROUP', 'PARTITIONS', 'STATUS']];
    for (const x of r.groups)
      g.push([x.groupId, String(x.partitions), x.error === null ? (x.kept > 0 ? `ok (${x.kept} kept)` : 'ok') : 'failed']);
    lines.push(columns(g), '');
  }
  const { records, bytes } = totals(r.parts);
  const secs = Math.max(r.elapsedMs, 1) / 1000;
  const translated = r.groups.filter((g) => g.error === null).length;
  lines.push(
    `topics: ${r.topics.filter((t) => t.error === null).length}/${r.topics.length}, records: ${records}, bytes: ${bytes}, ` +
      `groups translated: ${translated}/${r.groups.length}, time: ${secs.toFixed(2)} s, ` +
      `${Math.round(records / secs)} records/s, ${mb(bytes / secs)} MB/s`,
  );
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  for (const e of r.errors) lines.push(`error: ${e}`);
  return `${lines.join('\n')}\n`;
}
