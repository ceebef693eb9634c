// RemoveRaftVoter (key 81), v0.
//
// Behaviour: the quorum of broker/quorum.ts is static (kraft.version 0), so no voter is ever
// removed (not even the only one); the request is refused with Kafka's error for the first
// check that fails, in the order of Kafka's KafkaRaftClient.handleRemoveVoterRequest and
// RemoveVoterHandler:
// - a cluster id that is given and isn't ours: INCONSISTENT_CLUSTER_ID;
// - the zero voter directory id: INVALID_REQUEST "Remove voter request didn't include a valid voter";
// - otherwise UNSUPPORTED_VERSION "Cluster doesn't support removing voter because the
//   kraft.version feature is 0" (what `kafka-metadata-quorum remove-controller` gets from a
//   Kafka 4.4 cluster formatted with a static quorum, whether the voter exists or not).

import { ErrorCode, errorCodeByName } from '../../protocol/errors.js';
import { RemoveRaftVoter } from '../../protocol/messages/index.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import { defineHandler } from '../handler.js';
import { clusterIdMismatch, kraftVersion } from '../quorum.js';

const INCONSISTENT_CLUSTER_ID = errorCodeByName('INCONSISTENT_CLUSTER_ID')!;

export default defineHandler({
  api: RemoveRaftVoter,
  handle(req, ctx) {
    const refused = (errorCode: number, errorMessage: string) => ({ throttleTimeMs: 0, errorCode, errorMessage });
    const mismatch = clusterIdMismatch(ctx.broker, req.clusterId);
    if (mismatch !== null) return refused(INCONSISTENT_CLUSTER_ID, mismatch);
    if (req.voterDirectoryId === ZERO_UUID) return refused(ErrorCode.INVALID_REQUEST, "Remove voter request didn't include a valid voter");
    const kraft = kraftVersion(ctx.broker);
    return refused(ErrorCode.UNSUPPORTED_VERSION, `Cluster doesn't support removing voter because the kraft.version feature is ${kraft}`);
  },
});
