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
// lists the levels in force, min = max = the level, without those at 0. The levels and what
// each stands for are broker/features.ts's (FeatureLevels, changed by UpdateFeatures): a level
// is listed only while the APIs a client needs for it are served, so a `kafkaVersion` cap
// below them leaves it out and clients fall back. FinalizedFeaturesEpoch changes with every
// UpdateFeatures (Kafka's is the metadata offset of the last feature change).
// ZkMigrationReady is false, as every KRaft broker answers.

import { ErrorCode } from '../../protocol/errors.js';
import { ApiVersions } from '../../protocol/messages/index.js';
import type { BrokerCore } from '../core.js';
import type { FeatureLevels } from '../features.js';
import { defineHandler } from '../handler.js';

const SOFTWARE = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

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
    return { errorCode: 0, apiKeys, throttleTimeMs: 0, ...features(v, apiKeys, ctx.broker.features) };
  },
});

/** SupportedFeatures, FinalizedFeatures and their epoch for a response at version v. */
export function features(v: number, served: ReturnType<BrokerCore['dispatcher']['served']>, levels: FeatureLevels) {
  const maxOf = new Map(served.map((a) => [a.apiKey, a.maxVersion]));
  return {
    supportedFeatures: levels.supported().filter((f) => v >= 4 || f.minVersion > 0),
    finalizedFeaturesEpoch: levels.epoch,
    finalizedFeatures: levels.finalized(maxOf),
    zkMigrationReady: false,
  };
}
