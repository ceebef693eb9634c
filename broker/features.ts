// The feature levels of the cluster (KIP-584): which levels kafkalite supports and which are
// finalized. FeatureLevels is their single owner: ApiVersions (broker/handlers/18-api-versions.ts)
// reads them, UpdateFeatures (broker/handlers/57-update-features.ts) changes them, and the
// handlers whose behaviour a level switches (ConsumerGroupHeartbeat and ConsumerGroupDescribe
// with group.version 0) ask here. Finalized levels persist across restarts in
// `kafkalite-features.json` of the data directory (Kafka keeps them as FeatureLevelRecords in
// its metadata log); a memory store keeps them for its lifetime.
//
// Levels (Kafka's FeatureControlManager, org.apache.kafka.server.common.Feature): what a new
// Kafka 4.4.0 cluster finalizes, for what kafkalite implements:
// - metadata.version 33 (4.4-IV2), supported 7-33 (IBP_3_3_IV3..IBP_4_4_IV2);
// - group.version 1: KIP-848 consumer groups; 0 turns them off (ConsumerGroupHeartbeat and
//   ConsumerGroupDescribe answer UNSUPPORTED_VERSION, as Kafka's KafkaApis does then);
// - transaction.version 2: transactions v2 (KIP-890 part 2); 1 or 0 make clients keep the
//   AddPartitionsToTxn flow;
// - streams.version 1: KIP-1071 streams groups (StreamsGroupHeartbeat and StreamsGroupDescribe);
//   Kafka Streams takes group.protocol=streams only when it is finalized;
// - share.version 2: KIP-932 share groups (ShareGroupHeartbeat and ShareGroupDescribe in
//   broker/groups/share/, ShareFetch and ShareAcknowledge in broker/share/); 0 turns them off
//   (their handlers answer UNSUPPORTED_VERSION);
// - eligible.leader.replicas.version, kraft.version: supported 0-0 only (ELR and dynamic quorums
//   are not implemented).
// A finalized level is advertised only while the APIs a client needs for it are served (a
// `kafkaVersion` cap that removes them removes the level, so clients fall back): see `needs`.

import type { Logger } from 'pino';
import { errorCodeByName } from '../protocol/errors.js';
import type { LogStore } from '../storage/types.js';
import { BrokerStateFile } from './state-file.js';

export const FEATURES_FILE = 'kafkalite-features.json';
export const METADATA_VERSION = 'metadata.version';
const INVALID_UPDATE_VERSION = errorCodeByName('INVALID_UPDATE_VERSION')!;

/** API versions a finalized level needs clients to be able to use: `[apiKey, minimum max version]`. */
type Needs = ReadonlyArray<readonly [number, number]>;

interface FeatureDef {
  readonly name: string;
  /** The range kafkalite supports (SupportedFeatures). */
  readonly min: number;
  readonly max: number;
  /** The level a new cluster finalizes (0: not listed). */
  readonly initial: number;
  readonly needs: Needs;
}

// In Kafka 4.4's order (SupportedFeatures is sorted by name there, FinalizedFeatures is not).
const FEATURES: readonly FeatureDef[] = [
  { name: 'group.version', min: 0, max: 1, initial: 1, needs: [[68, 1]] },
  { name: 'kraft.version', min: 0, max: 0, initial: 0, needs: [] },
  { name: METADATA_VERSION, min: 7, max: 33, initial: 33, needs: [] },
  // share.version 1 and 2 (KIP-932, 2 adds renew acknowledgements): advertised only while ShareGroupHeartbeat,
  // ShareGroupDescribe, ShareFetch and ShareAcknowledge are all served.
  {
    name: 'share.version',
    min: 0,
    max: 2,
    initial: 2,
    needs: [
      [76, 1],
      [77, 1],
      [78, 1],
      [79, 1],
    ],
  },
  {
    name: 'streams.version',
    min: 0,
    max: 1,
    initial: 1,
    needs: [
      [88, 0],
      [89, 0],
    ],
  },
  {
    name: 'transaction.version',
    min: 0,
    max: 2,
    initial: 2,
    needs: [
      [0, 12],
      [26, 5],
      [28, 5],
    ],
  },
  { name: 'eligible.leader.replicas.version', min: 0, max: 0, initial: 0, needs: [] },
];
const BY_NAME = new Map(FEATURES.map((f) => [f.name, f]));

/**
 * metadata.version levels whose metadata differs from the level before (Kafka's
 * MetadataVersion.didMetadataChange): a downgrade across one of them could lose metadata, and
 * Kafka refuses it.
 */
const METADATA_CHANGED = new Set([7, 8, 11, 13, 14, 15, 17, 23, 30, 32, 33]);

/** FeatureUpdate.UpgradeType codes (UpdateFeatures v1+). */
export const UpgradeType = { UPGRADE: 1, SAFE_DOWNGRADE: 2, UNSAFE_DOWNGRADE: 3 } as const;

export interface FeatureUpdate {
  readonly feature: string;
  readonly level: number;
  readonly upgradeType: number;
}

/** Outcome of an update: 0, or INVALID_UPDATE_VERSION with the reason of the first failing feature. */
export interface FeatureUpdateResult {
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

export class FeatureLevels {
  private readonly levels = new Map<string, number>();
  /** Bumped on every change (Kafka: the offset of the last FeatureLevelRecord). */
  private changes = 0;
  private readonly file: BrokerStateFile<{ epoch: number; levels: Record<string, number> }>;

  constructor(
    store: LogStore,
    private readonly log: Logger,
    /** The controller that Kafka names in its messages ("Local controller 1 ..."). */
    private readonly controllerId: () => number,
  ) {
    this.file = new BrokerStateFile(store, FEATURES_FILE);
    for (const f of FEATURES) this.levels.set(f.name, f.initial);
  }

  /** Back to a new cluster's levels (test kit reset()); persisted like an update. */
  reset(): void {
    if (FEATURES.every((f) => this.level(f.name) === f.initial)) return;
    for (const f of FEATURES) this.levels.set(f.name, f.initial);
    this.changes++;
    this.save();
  }

  /** The finalized level of a feature (0 when not finalized or unknown). */
  level(name: string): number {
    return this.levels.get(name) ?? 0;
  }

  /** FinalizedFeaturesEpoch: changes with every update. */
  get epoch(): number {
    return 1 + this.changes;
  }

  /** SupportedFeatures rows. */
  supported(): Array<{ name: string; minVersion: number; maxVersion: number }> {
    return FEATURES.map((f) => ({ name: f.name, minVersion: f.min, maxVersion: f.max }));
  }

  /** FinalizedFeatures rows: levels above 0 whose APIs are served (`maxOf`: apiKey -> newest version served). */
  finalized(maxOf: ReadonlyMap<number, number>): Array<{ name: string; maxVersionLevel: number; minVersionLevel: number }> {
    return FEATURES.filter((f) => this.level(f.name) > 0 && f.needs.every(([key, min]) => (maxOf.get(key) ?? -1) >= min)).map((f) => ({
      name: f.name,
      maxVersionLevel: this.level(f.name),
      minVersionLevel: this.level(f.name),
    }));
  }

  /**
   * UpdateFeatures: every update is checked (Kafka's FeatureControlManager.updateFeature) and
   * the first failure fails them all; otherwise, unless validateOnly, all are applied at once.
   */
  update(updates: readonly FeatureUpdate[], validateOnly: boolean): FeatureUpdateResult {
    for (const u of updates) {
      const reason = this.reasonRefused(u);
      if (reason !== null) {
        return {
          errorCode: INVALID_UPDATE_VERSION,
          errorMessage: `The update failed for all features since the following feature had an error: ${reason}`,
        };
      }
    }
    if (!validateOnly && updates.length > 0) {
      for (const u of updates) this.levels.set(u.feature, u.level);
      this.changes++;
      this.log.info({ updates }, 'finalized feature levels changed');
      this.save();
    }
    return { errorCode: 0, errorMessage: null };
  }

  private reasonRefused(u: FeatureUpdate): string | null {
    const invalid = (why: string) => `Invalid update version ${u.level} for feature ${u.feature}. ${why}`;
    if (u.upgradeType < UpgradeType.UPGRADE || u.upgradeType > UpgradeType.UNSAFE_DOWNGRADE) {
      return invalid('The controller does not support the given upgrade type.');
    }
    if (u.level < 0) return invalid('A feature version cannot be less than 0.');
    const def = BY_NAME.get(u.feature);
    if (!def) return invalid(`Local controller ${this.controllerId()} does not support this feature.`);
    if (u.level < def.min || u.level > def.max) {
      return invalid(`Local controller ${this.controllerId()} only supports versions ${def.min}-${def.max}`);
    }
    const current = this.level(u.feature);
    if (u.level < current && u.upgradeType === UpgradeType.UPGRADE) {
      return invalid("Can't downgrade the version of this feature without setting the upgrade type to either safe or unsafe downgrade.");
    }
    if (u.level > current && u.upgradeType !== UpgradeType.UPGRADE) return invalid("Can't downgrade to a newer version.");
    if (u.feature === METADATA_VERSION && u.level < current) {
      let changed = false;
      for (let l = u.level + 1; l <= current; l++) changed ||= METADATA_CHANGED.has(l);
      if (changed) {
        const why =
          u.upgradeType === UpgradeType.UNSAFE_DOWNGRADE
            ? 'Unsafe metadata downgrade is not supported in this version.'
            : 'Refusing to perform the requested downgrade because it might delete metadata information.';
        return `Unsupported metadata.version downgrade from ${current} to ${u.level}. ${why}`;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------
  // Persistence

  /** Read the persisted levels (start-up). A level no longer in the supported range is ignored. */
  load(): void {
    const parsed = this.file.read();
    if (parsed === null) return;
    const file = this.file.path;
    for (const [name, level] of Object.entries(parsed.levels ?? ({} as Record<string, number>))) {
      const def = BY_NAME.get(name);
      if (def && Number.isInteger(level) && (level === 0 || (level >= def.min && level <= def.max))) this.levels.set(name, level);
      else this.log.warn({ file, feature: name, level }, 'ignoring a stored feature level that is no longer supported');
    }
    this.changes = Number.isInteger(parsed.epoch) ? Math.max(0, parsed.epoch! - 1) : 0;
  }

  private save(): void {
    this.file.write({ epoch: this.epoch, levels: Object.fromEntries(this.levels) });
  }
}
