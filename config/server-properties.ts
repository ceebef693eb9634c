// Reading a real Apache Kafka server.properties (the KRaft one Kafka 4.4 ships as
// config/server.properties, or a production broker's): what kafkalite makes of each key, said
// once at start-up.
//
// - keys kafkalite serves (config/broker-configs.ts) are honoured: listeners (the first one
//   that is not a controller listener), log.dirs (the first directory), node.id, num.partitions...
// - keys Kafka knows that do not matter on one in-process node (process.roles, the controller
//   quorum, thread counts, socket buffers, replication of internal topics...) are accepted and
//   listed in one info line as ignored;
// - a key neither knows is a warning naming the nearest valid key, not a failure: Kafka logs
//   "These configurations '[...]' were supplied but are not used yet" and starts
//   (org.apache.kafka.common.config.AbstractConfig.logUnused).
//
// Keys given to startBroker({ config }) or --override are checked more strictly
// (broker/options.ts): there a near miss is a typo in code and fails.

import { BROKER_CONFIG_BY_NAME } from './definitions.js';
import { KAFKA_BROKER_CONFIG_NAMES } from './kafka-broker-config-names.js';
import { nearestName } from './suggest.js';

/** Prefixes of per-listener and per-mechanism keys Kafka accepts without listing them (listener.name.controller.ssl...). */
const KAFKA_PREFIXES = ['listener.name.', 'sasl.', 'ssl.', 'confluent.', 'metric.reporters.', 'client.quota.callback.'];

export interface PropertiesReview {
  /** Keys accepted and not used by a single kafkalite node. */
  ignored: string[];
  /** Keys neither kafkalite nor Kafka knows, with the nearest valid name when one is close. */
  unknown: Array<{ key: string; meant: string | undefined }>;
  /** Other things worth saying (several log.dirs, a controller listener left out). */
  notes: string[];
}

function ignoredByKafkalite(key: string): boolean {
  const def = BROKER_CONFIG_BY_NAME.get(key);
  if (!def) return true;
  return def.doc.startsWith('Accepted for compatibility') || def.doc.endsWith('(ignored)');
}

const KNOWN: ReadonlySet<string> = new Set([...BROKER_CONFIG_BY_NAME.keys(), ...KAFKA_BROKER_CONFIG_NAMES]);

/** Classify the keys of a server.properties file. */
export function reviewProperties(values: ReadonlyMap<string, string>): PropertiesReview {
  const review: PropertiesReview = { ignored: [], unknown: [], notes: [] };
  for (const key of values.keys()) {
    if (KNOWN.has(key)) {
      if (ignoredByKafkalite(key)) review.ignored.push(key);
    } else if (KAFKA_PREFIXES.some((p) => key.startsWith(p))) {
      review.ignored.push(key);
    } else {
      review.unknown.push({ key, meant: nearestName(key, KNOWN) });
    }
  }
  const dirs = (values.get('log.dirs') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (dirs.length > 1) {
    review.notes.push(
      `log.dirs names ${dirs.length} directories: kafkalite keeps every partition in the first, ${dirs[0]}; ` +
        `${dirs.slice(1).join(', ')} ${dirs.length > 2 ? 'are' : 'is'} not used (one node, no JBOD)`,
    );
  }
  const controllers = new Set(
    (values.get('controller.listener.names') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const left = (values.get('listeners') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((l) => controllers.has(l.split(':')[0] ?? ''));
  if (left.length > 0) review.notes.push(`controller listener ${left.join(', ')} not opened: kafkalite has no controller quorum`);
  return review;
}

/** The start-up log lines for a review: [level, message]. */
export function reviewLines(file: string, review: PropertiesReview): Array<['info' | 'warn', string]> {
  const out: Array<['info' | 'warn', string]> = [];
  if (review.ignored.length > 0) {
    out.push(['info', `${file}: accepted and ignored on a single kafkalite node: ${review.ignored.join(', ')}`]);
  }
  for (const u of review.unknown) {
    out.push(['warn', `${file}: unknown config '${u.key}' ignored${u.meant ? ` (did you mean '${u.meant}'?)` : ''}`]);
  }
  for (const n of review.notes) out.push(['info', `${file}: ${n}`]);
  return out;
}
