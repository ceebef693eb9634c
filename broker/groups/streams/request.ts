// StreamsGroupHeartbeat's request and answer as the streams group logic sees them, and the
// request checks Kafka's GroupCoordinatorService.throwIfStreamsGroupHeartbeatRequestIsInvalid
// makes (INVALID_REQUEST with Kafka's messages), before the group is looked at.

import { ErrorCode } from '../../../protocol/errors.js';
import type { StreamsGroupHeartbeat } from '../../../protocol/messages/index.js';
import type { RequestOf, ResponseOf } from '../../../protocol/schema.js';
import { LEAVE_GROUP_STATIC_MEMBER_EPOCH } from './streams-group.js';
import { TopologyError, validateTopology } from './topology.js';

export type StreamsHeartbeatRequest = RequestOf<typeof StreamsGroupHeartbeat> & {
  apiVersion: number;
  clientId: string;
  clientHost: string;
};
export type StreamsHeartbeatResponse = Omit<ResponseOf<typeof StreamsGroupHeartbeat>, 'throttleTimeMs'>;

/** An error answer: Kafka leaves every other field at its default. */
export function streamsHeartbeatError(errorCode: number, errorMessage: string | null = null): StreamsHeartbeatResponse {
  return {
    errorCode,
    errorMessage,
    memberId: '',
    memberEpoch: 0,
    heartbeatIntervalMs: 0,
    acceptableRecoveryLagLegacy: 0,
    taskOffsetIntervalMs: 0,
    acceptableRecoveryLag: -1,
    status: [],
    activeTasks: null,
    standbyTasks: null,
    warmupTasks: null,
    topologyDescriptionRequired: false,
    endpointInformationEpoch: 0,
    partitionsByUserEndpoint: null,
  };
}

const invalid = (message: string) => streamsHeartbeatError(ErrorCode.INVALID_REQUEST, message);

/** The request checks, in Kafka's order; null when the request is well formed. */
export function invalidStreamsHeartbeat(req: StreamsHeartbeatRequest): StreamsHeartbeatResponse | null {
  if (req.memberId === '') return invalid("MemberId can't be empty.");
  if (req.groupId === '') return invalid("GroupId can't be empty.");
  if (req.instanceId === '') return invalid("InstanceId can't be empty.");
  if (req.rackId === '') return invalid("RackId can't be empty.");
  if (req.memberEpoch === 0) {
    if (req.rebalanceTimeoutMs === -1) return invalid('RebalanceTimeoutMs must be provided in first request.');
    if (req.activeTasks !== null && req.activeTasks.length > 0) return invalid('ActiveTasks must be empty when (re-)joining.');
    if (req.standbyTasks !== null && req.standbyTasks.length > 0) return invalid('StandbyTasks must be empty when (re-)joining.');
    if (req.warmupTasks !== null && req.warmupTasks.length > 0) return invalid('WarmupTasks must be empty when (re-)joining.');
    if (req.topology === null) return invalid('Topology must be non-null when (re-)joining.');
    try {
      validateTopology(req.topology);
    } catch (err) {
      if (err instanceof TopologyError) return streamsHeartbeatError(err.errorCode, err.message);
      throw err;
    }
  } else if (req.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
    if (req.instanceId === null) return invalid("InstanceId can't be null.");
  } else if (req.memberEpoch < LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
    return invalid(`MemberEpoch is ${req.memberEpoch}, but must be greater than or equal to -2.`);
  }
  if (req.activeTasks !== null || req.standbyTasks !== null || req.warmupTasks !== null) {
    if (req.activeTasks === null || req.standbyTasks === null || req.warmupTasks === null) {
      return invalid('If one task-type is non-null, all must be non-null.');
    }
  }
  if (req.memberEpoch !== 0 && req.topology !== null) return invalid('Topology can only be provided when (re-)joining.');
  return null;
}
