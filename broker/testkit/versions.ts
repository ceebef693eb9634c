// Version caps for `startBroker({ kafkaVersion: '2.8' })` and `apiVersions: { Produce: [3, 7] }`:
// ApiVersions then advertises, and the dispatcher then serves, only what that Kafka release did
// (intersected with what kafkalite implements), so tests see how clients behave against older
// brokers. A request above the cap is refused as that Kafka would refuse it (connection closed;
// ApiVersions answered with UNSUPPORTED_VERSION and the capped range).
//
// The table gives, per release, the newest version of each client-facing API (Kafka's
// ApiVersions answers; inter-broker APIs left out): up to 3.9 as a ZooKeeper-mode broker
// answered, from 4.0 as a KRaft broker does (KRaft-only keys such as DescribeQuorum and
// DescribeTopicPartitions join there). From 4.0 some APIs also have a minimum (KIP-896 removed
// old versions; 4.1 restored JoinGroup v0-1). 4.4 is what Apache Kafka 4.4.0 answers
// (test/oracle/v44-api-versions.test.ts); releases newer than the table are not capped.
// Sources: Kafka's per-release ApiKeys history as franz-go's pkg/kversion tabulates it, and
// ApiVersions captures of 3.9.0, 4.0.0 and 4.3.0 (../shared/kafka-protocol/kafka-4.x.md).

import { ConfigError } from '../../protocol/errors.js';
import { API_BY_KEY } from '../../protocol/messages/index.js';
import type { VersionCaps } from '../dispatcher.js';

type Maxima = Readonly<Record<number, number>>;

const V0_11: Maxima = {
  0: 3,
  1: 5,
  2: 2,
  3: 4,
  8: 3,
  9: 3,
  10: 1,
  11: 2,
  12: 1,
  13: 1,
  14: 1,
  15: 1,
  16: 1,
  17: 0,
  18: 1,
  19: 2,
  20: 1,
  21: 0,
  22: 0,
  23: 0,
  24: 0,
  25: 0,
  26: 0,
  27: 0,
  28: 0,
  29: 0,
  30: 0,
  31: 0,
  32: 0,
  33: 0,
};
const V1_0: Maxima = { ...V0_11, 0: 5, 1: 6, 3: 5, 17: 1, 34: 0, 35: 0, 36: 0, 37: 0 };
const V1_1: Maxima = { ...V1_0, 1: 7, 32: 1, 38: 0, 39: 0, 40: 0, 41: 0, 42: 0 };
const V2_0: Maxima = {
  ...V1_1,
  0: 6,
  1: 8,
  2: 3,
  3: 6,
  8: 4,
  9: 4,
  10: 2,
  11: 3,
  12: 2,
  13: 2,
  14: 2,
  15: 2,
  16: 2,
  18: 2,
  19: 3,
  20: 2,
  21: 1,
  22: 1,
  23: 1,
  24: 1,
  25: 1,
  26: 1,
  28: 1,
  29: 1,
  30: 1,
  31: 1,
  32: 2,
  33: 1,
  34: 1,
  35: 1,
  37: 1,
  38: 1,
  39: 1,
  40: 1,
  41: 1,
  42: 1,
};
const V2_1: Maxima = { ...V2_0, 0: 7, 1: 10, 2: 4, 3: 7, 8: 6, 9: 5, 20: 3, 23: 2, 36: 1 };
const V2_2: Maxima = { ...V2_1, 11: 4, 43: 0 };
const V2_3: Maxima = { ...V2_2, 1: 11, 2: 5, 3: 8, 8: 7, 11: 5, 12: 3, 14: 3, 15: 3, 43: 1, 44: 0 };
const V2_4: Maxima = {
  ...V2_3,
  0: 8,
  3: 9,
  8: 8,
  9: 6,
  10: 3,
  11: 6,
  12: 4,
  13: 4,
  14: 4,
  15: 5,
  16: 3,
  18: 3,
  19: 5,
  20: 4,
  22: 2,
  23: 3,
  28: 2,
  38: 2,
  42: 2,
  43: 2,
  44: 1,
  45: 0,
  46: 0,
  47: 0,
};
const V2_5: Maxima = { ...V2_4, 9: 7, 11: 7, 14: 5, 22: 3, 28: 3, 39: 2, 40: 2 };
const V2_6: Maxima = { ...V2_5, 16: 4, 32: 3, 48: 0, 49: 0 };
const V2_7: Maxima = { ...V2_6, 1: 12, 19: 6, 20: 5, 22: 4, 35: 2, 37: 3, 50: 0, 51: 0, 57: 0 };
const V2_8: Maxima = {
  ...V2_7,
  0: 9,
  2: 6,
  3: 11,
  19: 7,
  20: 6,
  21: 2,
  23: 4,
  24: 3,
  25: 3,
  26: 3,
  27: 1,
  32: 4,
  33: 2,
  34: 2,
  36: 2,
  48: 1,
  49: 1,
  60: 0,
};
const V3_0: Maxima = { ...V2_8, 2: 7, 9: 8, 10: 4, 61: 0, 65: 0, 66: 0 };
const V3_1: Maxima = { ...V3_0, 1: 13, 3: 12 };
const V3_2: Maxima = { ...V3_1, 11: 9, 13: 5, 35: 3 };
const V3_3: Maxima = { ...V3_2, 29: 3, 30: 3, 31: 3, 35: 4, 38: 3, 41: 3, 57: 1 };
const V3_4: Maxima = V3_3;
const V3_5: Maxima = { ...V3_4, 1: 15, 2: 8 };
const V3_6: Maxima = { ...V3_5, 24: 4 };
const V3_7: Maxima = { ...V3_6, 0: 10, 1: 16, 8: 9, 9: 9, 60: 1, 68: 0 };
const V3_8: Maxima = { ...V3_7, 0: 11, 10: 5, 16: 5, 22: 5, 24: 5, 25: 4, 26: 4, 28: 4, 66: 1, 69: 0 };
const V3_9: Maxima = { ...V3_8, 1: 17, 2: 9, 10: 6, 18: 4 };
// 4.0: KRaft only, with the keys a KRaft broker answers besides (DescribeQuorum, ...).
const V4_0: Maxima = {
  ...V3_9,
  0: 12,
  2: 10,
  3: 13,
  15: 6,
  26: 5,
  28: 5,
  57: 2,
  60: 2,
  68: 1,
  69: 1,
  55: 2,
  64: 0,
  74: 0,
  75: 0,
  80: 0,
  81: 0,
};
const V4_1: Maxima = {
  ...V4_0,
  0: 13,
  1: 18,
  45: 1,
  66: 2,
  74: 1,
  76: 1,
  77: 1,
  78: 1,
  79: 1,
  83: 0,
  84: 0,
  85: 0,
  86: 0,
  87: 0,
  90: 0,
  91: 0,
  92: 0,
};
const V4_2: Maxima = { ...V4_1, 2: 11, 8: 10, 9: 10, 27: 2, 78: 2, 79: 2, 80: 1, 85: 1, 87: 1, 90: 1, 88: 0, 89: 0 };
const V4_3: Maxima = { ...V4_2, 35: 5 };
const V4_4: Maxima = { ...V4_3, 18: 5, 28: 6, 42: 3, 88: 1, 89: 1, 93: 0, 94: 0 };

/** Minimum versions from 4.0 (KIP-896); the share-group APIs start at v1 (4.1). */
const MIN_4_0: Maxima = {
  1: 4,
  2: 1,
  8: 2,
  9: 1,
  11: 2,
  19: 2,
  20: 1,
  23: 2,
  27: 1,
  29: 1,
  30: 1,
  31: 1,
  32: 1,
  34: 1,
  35: 1,
  38: 1,
  39: 1,
  40: 1,
  41: 1,
};
const MIN_4_1: Maxima = { ...MIN_4_0, 11: 0, 76: 1, 77: 1, 78: 1, 79: 1 };

const RELEASES: ReadonlyArray<readonly [string, Maxima, Maxima?]> = [
  ['0.11', V0_11],
  ['1.0', V1_0],
  ['1.1', V1_1],
  ['2.0', V2_0],
  ['2.1', V2_1],
  ['2.2', V2_2],
  ['2.3', V2_3],
  ['2.4', V2_4],
  ['2.5', V2_5],
  ['2.6', V2_6],
  ['2.7', V2_7],
  ['2.8', V2_8],
  ['3.0', V3_0],
  ['3.1', V3_1],
  ['3.2', V3_2],
  ['3.3', V3_3],
  ['3.4', V3_4],
  ['3.5', V3_5],
  ['3.6', V3_6],
  ['3.7', V3_7],
  ['3.8', V3_8],
  ['3.9', V3_9],
  ['4.0', V4_0, MIN_4_0],
  ['4.1', V4_1, MIN_4_1],
  ['4.2', V4_2, MIN_4_1],
  ['4.3', V4_3, MIN_4_1],
  ['4.4', V4_4, MIN_4_1],
];

/** `{ Produce: [3, 7] }` (min, max), `{ Fetch: 11 }` (max), `{ Metadata: null }` (not served); by name or key. */
export type ApiVersionsOption = Record<string, number | readonly [number, number] | null>;

/** The caps for a release ('2.8', '2.8.1', '0.11.0.3') and per-API ranges, or null when nothing is capped. */
export function resolveVersionCaps(kafkaVersion: string | undefined, apiVersions: ApiVersionsOption | undefined): VersionCaps | null {
  if (kafkaVersion === undefined && apiVersions === undefined) return null;
  const caps = new Map<number, { min: number; max: number } | null>();
  if (kafkaVersion !== undefined) {
    const release = releaseRanges(kafkaVersion);
    if (release) {
      const [maxima, minima = {}] = release;
      for (const key of API_BY_KEY.keys()) caps.set(key, key in maxima ? { min: minima[key] ?? 0, max: maxima[key]! } : null);
    }
  }
  for (const [api, range] of Object.entries(apiVersions ?? {})) {
    const key = apiKeyOf(api);
    if (key === undefined) throw new ConfigError('apiVersions', `unknown API ${JSON.stringify(api)}`);
    if (range === null) caps.set(key, null);
    else if (typeof range === 'number') caps.set(key, { min: 0, max: range });
    else caps.set(key, { min: range[0], max: range[1] });
  }
  if (!caps.get(18)) caps.delete(18); // ApiVersions is always served
  return caps;
}

/** A release's maxima and minima, or null for a release newer than the table (not capped). */
function releaseRanges(version: string): readonly [Maxima, Maxima?] | null {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) throw new ConfigError('kafkaVersion', `not a Kafka version: ${JSON.stringify(version)}`);
  const [major, minor] = [Number(m[1]), Number(m[2])];
  const [newestMajor, newestMinor] = RELEASES[RELEASES.length - 1]![0].split('.').map(Number) as [number, number];
  if (major > newestMajor || (major === newestMajor && minor > newestMinor)) return null;
  const found = RELEASES.find(([v]) => v === `${major}.${minor}`);
  if (!found) throw new ConfigError('kafkaVersion', `${version} is older than the oldest release known (0.11)`);
  return [found[1], found[2]];
}

/** API key for a name ('Produce') or a key ('0'). */
export function apiKeyOf(api: string | number): number | undefined {
  if (typeof api === 'number') return API_BY_KEY.has(api) ? api : undefined;
  if (/^\d+$/.test(api)) return apiKeyOf(Number(api));
  for (const [key, spec] of API_BY_KEY) if (spec.name === api) return key;
  return undefined;
}
