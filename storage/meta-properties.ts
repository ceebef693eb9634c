// meta.properties (Kafka's MetaProperties): the node identity of a data directory, as a Java Properties
// file. kafkalite writes version 1 (KRaft): `version=1`, `node.id=N`, `cluster.id=<uuid text>`.

import path from 'node:path';
import { DataDirMismatchError } from '../protocol/errors.js';
import { readFileIfExists, writeFileAtomic } from './atomic-file.js';
import type { FileSystem } from './fs/file-system.js';
import { nodeFs } from './fs/node-fs.js';
import { randomKafkaUuid } from './uuid.js';

export const META_PROPERTIES = 'meta.properties';

export interface MetaProperties {
  version: number;
  nodeId: number;
  clusterId: string;
}

/** Parse Java Properties text: `key=value` / `key: value` lines, `#` and `!` comments. */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const m = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (m) out.set(m[1]!, m[2]!.trim());
    else out.set(line, '');
  }
  return out;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** java.util.Date#toString in UTC: `Thu Jun 13 10:37:28 UTC 2024`. */
export function javaDateString(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
  );
}

export function formatMetaProperties(meta: MetaProperties, now: Date): string {
  return `#\n#${javaDateString(now)}\nversion=${meta.version}\nnode.id=${meta.nodeId}\ncluster.id=${meta.clusterId}\n`;
}

export function readMetaProperties(dataDir: string, fs: FileSystem = nodeFs): MetaProperties | null {
  const file = path.join(dataDir, META_PROPERTIES);
  const text = readFileIfExists(file, fs);
  if (text === null) return null;
  const props = parseProperties(text);
  const version = Number(props.get('version') ?? '0');
  const idText = version >= 1 ? props.get('node.id') : (props.get('broker.id') ?? props.get('node.id'));
  if (idText === undefined || !/^-?\d+$/.test(idText)) {
    throw new DataDirMismatchError(`${file} has no valid ${version >= 1 ? 'node.id' : 'broker.id'}`);
  }
  return { version, nodeId: Number(idText), clusterId: props.get('cluster.id') ?? '' };
}

export function writeMetaProperties(dataDir: string, meta: MetaProperties, fs: FileSystem = nodeFs): void {
  writeFileAtomic(path.join(dataDir, META_PROPERTIES), formatMetaProperties(meta, new Date()), { fsync: true }, fs);
}

/**
 * Read meta.properties and check it against the configured node id (and cluster id, if one is
 * configured); create it when missing. Returns the identity in force.
 */
export function ensureMetaProperties(dataDir: string, nodeId: number, clusterId?: string, fs: FileSystem = nodeFs): MetaProperties {
  const found = readMetaProperties(dataDir, fs);
  if (found === null) {
    const meta = { version: 1, nodeId, clusterId: clusterId ?? randomKafkaUuid() };
    writeMetaProperties(dataDir, meta, fs);
    return meta;
  }
  const file = path.join(dataDir, META_PROPERTIES);
  if (found.nodeId !== nodeId) {
    throw new DataDirMismatchError(`${file} belongs to node.id=${found.nodeId}, but this broker is configured with node.id=${nodeId}`);
  }
  if (found.clusterId !== '' && clusterId !== undefined && found.clusterId !== clusterId) {
    throw new DataDirMismatchError(
      `${file} belongs to cluster.id=${found.clusterId}, but this broker is configured with cluster.id=${clusterId}`,
    );
  }
  if (found.clusterId === '' || found.version !== 1) {
    // Version 0 files (or files without a cluster id) are upgraded in place.
    const meta = { version: 1, nodeId, clusterId: found.clusterId || (clusterId ?? randomKafkaUuid()) };
    writeMetaProperties(dataDir, meta, fs);
    return meta;
  }
  return found;
}
