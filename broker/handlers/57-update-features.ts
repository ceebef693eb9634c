// UpdateFeatures (key 57), v0-2.
//
// Behaviour: changes finalized feature levels, as a single-node KRaft cluster's controller does
// (Kafka's QuorumController.updateFeatures / FeatureControlManager, checked by
// broker/features.ts, which owns the levels). The updates are all-or-nothing: the first one
// refused fails the request with INVALID_UPDATE_VERSION and "The update failed for all features
// since the following feature had an error: Invalid update version <level> for feature <name>.
// <reason>", with no per-feature results. Reasons: an unknown upgrade type, a negative level,
// an unknown feature or a level outside the supported range ("Local controller <id> ..."), a
// downgrade with the UPGRADE type, an upgrade with a downgrade type, and any metadata.version
// downgrade across a level that changed the metadata (safe or unsafe: Kafka refuses both).
// v0 has no upgrade type nor validate_only: its allow_downgrade flag is ignored, as Kafka's
// controller reads the upgrade type only (UPGRADE by default), so v0 never downgrades. Success:
// error 0, message null; v0-1 list one result per update (error 0, message "NONE", duplicates
// kept), v2 lists none. validate_only (v1+) checks without changing anything. timeout_ms is
// unused (the change is immediate).

import { UpdateFeatures } from '../../protocol/messages/index.js';
import { UpgradeType } from '../features.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: UpdateFeatures,
  handle(req, ctx) {
    const v = ctx.apiVersion;
    const updates = req.featureUpdates.map((u) => ({
      feature: u.feature,
      level: u.maxVersionLevel,
      upgradeType: v >= 1 ? u.upgradeType : UpgradeType.UPGRADE,
    }));
    const result = ctx.broker.features.update(updates, v >= 1 && req.validateOnly);
    const ok = result.errorCode === 0;
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode,
      errorMessage: result.errorMessage,
      results: ok && v <= 1 ? updates.map((u) => ({ feature: u.feature, errorCode: 0, errorMessage: 'NONE' })) : [],
    };
  },
});
