// ConsumerGroupHeartbeat's request and response as the coordinator sees them, and the request's
// validation (Kafka's GroupMetadataManager.throwIfConsumerGroupHeartbeatRequestIsInvalid). The
// heartbeat itself is in broker/groups/consumer-group-heartbeat.ts.

import { ErrorCode } from '../../protocol/errors.js';
import { ASSIGNORS } from './assignors/index.js';
import { LEAVE_GROUP_MEMBER_EPOCH, LEAVE_GROUP_STATIC_MEMBER_EPOCH } from './consumer-group.js';
import { topicRegex } from './consumer-group-member.js';

export interface HeartbeatRequest {
  /** The request's version: from v1 the client chooses its member id (KIP-1082). */
  apiVersion?: number;
  groupId: string;
  memberId: string;
  memberEpoch: number;
  instanceId: string | null;
  rackId: string | null;
  rebalanceTimeoutMs: number;
  subscribedTopicNames: string[] | null;
  /** v1+: a regex over topic names instead of (or beside) the names. */
  subscribedTopicRegex: string | null;
  serverAssignor: string | null;
  topicPartitions: Array<{ topicId: string; partitions: number[] }> | null;
  clientId: string;
  clientHost: string;
}

export interface HeartbeatResponse {
  errorCode: number;
  errorMessage: string | null;
  memberId: string | null;
  memberEpoch: number;
  heartbeatIntervalMs: number;
  assignment: { topicPartitions: Array<{ topicId: string; partitions: number[] }> } | null;
}

export function heartbeatError(errorCode: number, errorMessage: string | null = null): HeartbeatResponse {
  return { errorCode, errorMessage, memberId: null, memberEpoch: 0, heartbeatIntervalMs: 0, assignment: null };
}

/** Kafka's throwIfConsumerGroupHeartbeatRequestIsInvalid; null when valid. */
export function invalidHeartbeat(req: HeartbeatRequest): HeartbeatResponse | null {
  const bad = (msg: string) => heartbeatError(ErrorCode.INVALID_REQUEST, msg);
  // v1+ (KIP-1082): the member id is the client's own, sent from the first heartbeat on; Kafka
  // checks it first.
  if ((req.apiVersion ?? 0) >= 1 && req.memberId === '') return bad("MemberId can't be empty.");
  if (req.groupId === '') return bad("GroupId can't be empty.");
  if (req.instanceId === '') return bad("InstanceId can't be empty.");
  if (req.rackId === '') return bad("RackId can't be empty.");
  if (req.memberEpoch > 0 || req.memberEpoch === LEAVE_GROUP_MEMBER_EPOCH) {
    if (req.memberId === '') return bad("MemberId can't be empty.");
  } else if (req.memberEpoch === 0) {
    if (req.rebalanceTimeoutMs === -1) return bad('RebalanceTimeoutMs must be provided in first request.');
    if (req.topicPartitions === null || req.topicPartitions.length > 0) return bad('TopicPartitions must be empty when (re-)joining.');
    // An empty list of names joins the group subscribed to nothing, as in Kafka 4.4.
    if (req.subscribedTopicRegex === null && req.subscribedTopicNames === null)
      return bad('Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.');
  } else if (req.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
    if (req.instanceId === null) return bad("InstanceId can't be null.");
  } else {
    return bad('MemberEpoch is invalid.');
  }
  if (req.subscribedTopicRegex !== null) {
    const re = topicRegex(req.subscribedTopicRegex);
    if (re instanceof Error) {
      return heartbeatError(
        ErrorCode.INVALID_REGULAR_EXPRESSION,
        `SubscribedTopicRegex \`${req.subscribedTopicRegex}\` is not a valid regular expression: ${re.message}.`,
      );
    }
  }
  if (req.serverAssignor !== null && !ASSIGNORS.has(req.serverAssignor)) {
    return heartbeatError(
      ErrorCode.UNSUPPORTED_ASSIGNOR,
      `ServerAssignor ${req.serverAssignor} is not supported. Supported assignors: ${[...ASSIGNORS.keys()].join(', ')}.`,
    );
  }
  return null;
}
