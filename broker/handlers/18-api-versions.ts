// ApiVersions (key 18), v0-5.
//
// Behaviour: lists every API of the registry (broker/handlers/index.ts) with the versions
// served there (nothing is advertised that isn't implemented, and never an unstable top
// version). A request at a version we don't serve is answered by the dispatcher with a v0
// body, UNSUPPORTED_VERSION and our ApiVersions range. v3+ client software name and version
// must match Kafka's pattern, else INVALID_REQUEST. v5 (KIP-1242) carries the cluster id and
// node id the client believes it talks to: both absent is fine, one without the other is
// INVALID_REQUEST, a mismatch REBOOTSTRAP_REQUIRED; errors answer with no APIs and no features.
//
// Features (v3+, tagged; Kafka's FeatureControlManager / ApiVersionsResponse): the names a
// Kafka 4.4 broker knows are listed in SupportedFeatures with the range kafkalite supports;
// v0-3 leave out those whose minimum is 0 (KAFKA-17011), as Kafka does. FinalizedFeatures
// lists the levels in force, min = max = the level, without those at 0. We finalize only
// what kafkalite implements, and only while the APIs a client needs for that level are
// served (a `kafkaVersion` cap that removes them removes the level, so clients fall back):
// - metadata.version 33 (4.4-IV2, what Kafka 4.4.0 formats to): supported 7-33, as 4.4.
// - group.version 1: KIP-848 consumer groups (ConsumerGroupHeartbeat v1 / Describe) are
//   served; a `kafkaVersion` cap below 4.0 (CGH v0 at most) leaves it out, as 3.x brokers did.
// - transaction.version 2: transactions v2 (KIP-890 part 2: Produce v12+ adds partitions
//   itself, TxnOffsetCommit v5 adds the group, EndTxn v5 bumps the epoch and returns it).
//   The Java producer and franz-go take that path only when transaction.version >= 2 is
//   finalized, and need Produce 12, EndTxn 5 and TxnOffsetCommit 5: a cap below those leaves
//   the level out and they keep the AddPartitionsToTxn flow, which stays served for every
//   version (librdkafka 2.15 never uses TV2).
// - share.version, streams.version, eligible.leader.replicas.version, kraft.version: 0 only
//   (share and streams groups, ELR and dynamic quorums are not implemented).
// FinalizedFeaturesEpoch is a constant (Kafka's is the metadata offset of the last feature
// change; ours never change, and clients only compare it with epochs from the same cluster).
// ZkMigrationReady is false, as every KRaft broker answers.

import { ErrorCode } from '../../protocol/errors.js';
import { ApiVersions } from '../../protocol/messages/index.js';
import type { BrokerCore } from '../core.js';
import { defineHandler } from '../handler.js';

const SOFTWARE = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

/** Metadata version of Kafka 4.4.0 (IBP_4_4_IV2); 7 (IBP_3_3_IV3) is Kafka 4's minimum. */
const METADATA_VERSION = { min: 7, level: 33 };

/** API versions a finalized level needs clients to be able to use: `[apiKey, minimum max version]`. */
type Needs = ReadonlyArray<readonly [number, number]>;

interface Feature {
  readonly name: string;
  /** The range kafkalite supports (SupportedFeatures). */
  readonly min: number;
  readonly max: number;
  /** The level finalized (0: not listed), and what must be served for it. */
  readonly level: number;
  readonly needs: Needs;
}

// In Kafka 4.4's order (SupportedFeatures is sorted by name there, FinalizedFeatures is not).
const FEATURES: readonly Feature[] = [
  { name: 'group.version', min: 0, max: 1, level: 1, needs: [[68, 1]] },
  { name: 'kraft.version', min: 0, max: 0, level: 0, needs: [] },
  { name: 'metadata.version', min: METADATA_VERSION.min, max: METADATA_VERSION.level, level: METADATA_VERSION.level, needs: [] },
  { name: 'share.version', min: 0, max: 0, level: 0, needs: [] },
  { name: 'streams.version', min: 0, max: 0, level: 0, needs: [] },
  {
    name: 'transaction.version',
    min: 0,
    max: 2,
    level: 2,
    needs: [
      [0, 12],
      [26, 5],
      [28, 5],
    ],
  },
  { name: 'eligible.leader.replicas.version', min: 0, max: 0, level: 0, needs: [] },
];

const FINALIZED_EPOCH = 1;

export default defineHandler({
  api: ApiVersions,
  handle(req, ctx) {
    const refused = (errorCode: number) => ({ errorCode, apiKeys: [], throttleTimeMs: 0 });
    const v = ctx.apiVersion;
    if (v >= 3 && (!SOFTWARE.test(req.clientSoftwareName) || !SOFTWARE.test(req.clientSoftwareVersion))) {
      return refused(ErrorCode.INVALID_REQUEST);
    }
    if (v >= 5 && (req.clusterId !== null || req.nodeId !== -1)) {
      if (req.clusterId === null || req.nodeId === -1) return refused(ErrorCode.INVALID_REQUEST);
      if (req.clusterId !== ctx.broker.cluster.clusterId || req.nodeId !== ctx.node.nodeId) {
        return refused(ErrorCode.REBOOTSTRAP_REQUIRED);
      }
    }
    // Kafka's socket server keeps the names as the connection's ClientInformation (client telemetry matches on them).
    if (v >= 3) ctx.connection.clientSoftware = { name: req.clientSoftwareName, version: req.clientSoftwareVersion };
    const apiKeys = ctx.broker.dispatcher.served();
    return { errorCode: 0, apiKeys, throttleTimeMs: 0, ...features(v, apiKeys) };
  },
});

/** SupportedFeatures, FinalizedFeatures and their epoch for a response at version v. */
export function features(v: number, served: ReturnType<BrokerCore['dispatcher']['served']>) {
  const maxOf = new Map(served.map((a) => [a.apiKey, a.maxVersion]));
  const finalized = FEATURES.filter((f) => f.level > 0 && f.needs.every(([key, min]) => (maxOf.get(key) ?? -1) >= min));
  return {
    supportedFeatures: FEATURES.filter((f) => v >= 4 || f.min > 0).map((f) => ({ name: f.name, minVersion: f.min, maxVersion: f.max })),
    finalizedFeaturesEpoch: FINALIZED_EPOCH,
    finalizedFeatures: finalized.map((f) => ({ name: f.name, maxVersionLevel: f.level, minVersionLevel: f.level })),
    zkMigrationReady: false,
  };
}
