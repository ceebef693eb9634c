// AddRaftVoter (key 80), v0-1.
//
// Behaviour: the quorum of broker/quorum.ts is static (kraft.version 0), so no voter is ever
// added; the request is refused with Kafka's error for the first check that fails, in the
// order of Kafka's KafkaRaftClient.handleAddVoterRequest and AddVoterHandler:
// - a cluster id that is given and isn't ours: INCONSISTENT_CLUSTER_ID;
// - the zero voter directory id: INVALID_REQUEST "Add voter request didn't include a valid voter";
// - no CONTROLLER listener among the listeners: INVALID_REQUEST naming the endpoints given
//   (Kafka's Endpoints and InetSocketAddress.createUnresolved text);
// - otherwise UNSUPPORTED_VERSION "Cluster doesn't support adding voter because the
//   kraft.version feature is 0" (what `kafka-metadata-quorum add-controller` gets from a Kafka
//   4.4 cluster formatted with a static quorum).
// v1's ack_when_committed changes nothing here. timeout_ms is unused.

import { ErrorCode, errorCodeByName } from '../../protocol/errors.js';
import { AddRaftVoter } from '../../protocol/messages/index.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import { defineHandler } from '../handler.js';
import { clusterIdMismatch, kraftVersion } from '../quorum.js';

const INCONSISTENT_CLUSTER_ID = errorCodeByName('INCONSISTENT_CLUSTER_ID')!;
const CONTROLLER_LISTENER = 'CONTROLLER';

export default defineHandler({
  api: AddRaftVoter,
  handle(req, ctx) {
    const refused = (errorCode: number, errorMessage: string) => ({ throttleTimeMs: 0, errorCode, errorMessage });
    const mismatch = clusterIdMismatch(ctx.broker, req.clusterId);
    if (mismatch !== null) return refused(INCONSISTENT_CLUSTER_ID, mismatch);
    if (req.voterDirectoryId === ZERO_UUID) return refused(ErrorCode.INVALID_REQUEST, "Add voter request didn't include a valid voter");
    // ListenerName.normalised: names compare upper-cased; the last of a name wins (a HashMap).
    const endpoints = new Map(req.listeners.map((l) => [l.name.toUpperCase(), `${l.host}/<unresolved>:${l.port}`]));
    if (!endpoints.has(CONTROLLER_LISTENER)) {
      const shown = [...endpoints].map(([name, address]) => `ListenerName(${name})=${address}`).join(', ');
      return refused(
        ErrorCode.INVALID_REQUEST,
        `Add voter request didn't include the endpoint (Endpoints(endpoints={${shown}})) for the default listener ListenerName(${CONTROLLER_LISTENER})`,
      );
    }
    const kraft = kraftVersion(ctx.broker);
    return refused(ErrorCode.UNSUPPORTED_VERSION, `Cluster doesn't support adding voter because the kraft.version feature is ${kraft}`);
  },
});
