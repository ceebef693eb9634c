// DescribeProducers (key 61), v0.
//
// Behaviour (KIP-664): the active producers of each requested partition, from its producer
// state: id, epoch, last sequence, last write time, coordinator epoch and the first offset of
// the transaction open on the partition (-1 if none). Unknown partitions →
// UNKNOWN_TOPIC_OR_PARTITION; a partition led by another simulated node → NOT_LEADER_OR_FOLLOWER;
// an unknown topic with Kafka's default message for the error. Read on the topic is checked first
// (KafkaApis.handleDescribeProducersRequest): without it every partition is answered
// TOPIC_AUTHORIZATION_FAILED with the error's default message, whether the topic exists or not.

import { defaultErrorMessage } from '../../protocol/error-messages.js';
import { ErrorCode } from '../../protocol/errors.js';
import { DescribeProducers } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { Op, R, deniedCode } from '../security/authorizer/checks.js';

export default defineHandler({
  api: DescribeProducers,
  handle(req, ctx) {
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((index) => {
          const refused = deniedCode(ctx, Op.READ, R.TOPIC, t.name);
          if (refused)
            return { partitionIndex: index, errorCode: refused, errorMessage: defaultErrorMessage(refused), activeProducers: [] };
          const partition = ctx.broker.topics.get(t.name)?.partitions[index];
          const none = { partitionIndex: index, errorMessage: null, activeProducers: [] };
          // An unknown topic is answered with the error's default message (KafkaApis checks it);
          // an unknown partition or another leader without one (ReplicaManager answers those).
          if (!ctx.broker.topics.get(t.name)) {
            const errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
            return { ...none, errorCode, errorMessage: defaultErrorMessage(errorCode) };
          }
          if (!partition) return { ...none, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
          if (partition.leaderId !== ctx.node.nodeId) return { ...none, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER };
          return {
            ...none,
            errorCode: ErrorCode.NONE,
            activeProducers: partition.producers.entries().map((e) => ({
              producerId: e.producerId,
              producerEpoch: e.epoch,
              lastSequence: e.batches.length > 0 ? e.batches[e.batches.length - 1]!.lastSeq : -1,
              lastTimestamp: e.lastTimestamp,
              coordinatorEpoch: e.coordinatorEpoch,
              currentTxnStartOffset: e.currentTxnFirstOffset,
            })),
          };
        }),
      })),
    };
  },
});
