// Metadata requests naming topics in ways their version does not allow (Kafka's
// KafkaApis.handleTopicMetadataRequest and MetadataRequest.getErrorResponse): v10-11 carry topic
// ids on the wire but may not use them, so a null name or a non-zero id is INVALID_REQUEST; v12+
// a topic with neither name nor id fails the request (UNKNOWN_SERVER_ERROR: Kafka's lookup throws).
// Either way Kafka answers its error response: every requested topic with the error, its name
// ("" for null: the v10-11 response cannot carry null), no brokers, no cluster id, controller -1,
// and (v13) the error at the top level.
// Found by the TCP fuzzer (test/fuzz/run.ts): kafkalite failed to encode the null name.

import { ErrorCode } from '../protocol/errors.js';
import { ZERO_UUID } from '../protocol/primitives.js';
import { AUTHORIZED_OPS_NOT_REQUESTED } from './authorized-operations.js';

interface RequestTopic {
  name: string | null;
  topicId: string;
}

/** Kafka's error response when `topics` is not allowed at version `v`, else null. */
export function metadataTopicIdError(topics: readonly RequestTopic[] | null, v: number) {
  if (topics === null || v < 10) return null;
  let errorCode: number | null = null;
  if (v < 12 && topics.some((t) => t.name === null || t.topicId !== ZERO_UUID)) errorCode = ErrorCode.INVALID_REQUEST;
  else if (topics.some((t) => t.name === null && t.topicId === ZERO_UUID)) errorCode = ErrorCode.UNKNOWN_SERVER_ERROR;
  if (errorCode === null) return null;
  return {
    throttleTimeMs: 0,
    brokers: [],
    clusterId: null,
    controllerId: -1,
    topics: topics.map((t) => ({
      errorCode: errorCode!,
      name: t.name ?? '',
      topicId: t.topicId,
      isInternal: false,
      partitions: [],
      topicAuthorizedOperations: AUTHORIZED_OPS_NOT_REQUESTED,
    })),
    clusterAuthorizedOperations: AUTHORIZED_OPS_NOT_REQUESTED,
    // v13's top-level error code (KIP-1102) carries it too.
    errorCode,
  };
}

/**
 * v12+: once one topic is named by id, Kafka answers by id only; topics named only by name
 * (zero id) are left out of the answer (KafkaApis.handleTopicMetadataRequest's useTopicId).
 */
export function topicsToAnswer<T extends RequestTopic>(topics: readonly T[]): readonly T[] {
  return topics.some((t) => t.topicId !== ZERO_UUID) ? topics.filter((t) => t.topicId !== ZERO_UUID) : topics;
}
