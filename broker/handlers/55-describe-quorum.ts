// DescribeQuorum (key 55), v0-2.
//
// Behaviour: kafkalite answers for the quorum of broker/quorum.ts: the controller node is the
// only voter and the leader of the metadata log `__cluster_metadata` partition 0 at leader
// epoch 1; the other live simulated nodes are brokers, which Kafka lists as observers. Kafka's KafkaRaftClient.handleDescribeQuorumRequest: a request
// naming anything but exactly that one partition gets UNKNOWN_TOPIC_OR_PARTITION on every
// partition it names (leader 0, epoch 0, high watermark 0, no replicas; v2 with the error's
// message), an empty request an empty answer. Every replica is caught up: its log end offset
// is the high watermark, and (v1+) its last fetch and last caught-up times are now (the
// broker's clock). The replica directory id (v2) is the zero UUID, as for a static quorum's
// voters; v2's Nodes list the voter with a CONTROLLER listener at the controller node's address
// (kafkalite has no separate controller listener; the node's own one is named there).
// The high watermark is broker/quorum.ts's metadataEndOffset.

import { ErrorCode } from '../../protocol/errors.js';
import { DescribeQuorum } from '../../protocol/messages/index.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import { defineHandler } from '../handler.js';
import { METADATA_TOPIC, controllerNode, metadataEndOffset } from '../quorum.js';

const LEADER_EPOCH = 1;

export default defineHandler({
  api: DescribeQuorum,
  handle(req, ctx) {
    const valid =
      req.topics.length === 1 &&
      req.topics[0]!.topicName === METADATA_TOPIC &&
      req.topics[0]!.partitions.length === 1 &&
      req.topics[0]!.partitions[0]!.partitionIndex === 0;
    if (!valid) {
      return {
        errorCode: 0,
        errorMessage: '',
        topics: req.topics.map((t) => ({
          topicName: t.topicName,
          partitions: t.partitions.map((p) => ({
            partitionIndex: p.partitionIndex,
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            errorMessage: 'This server does not host this topic-partition.',
            leaderId: 0,
            leaderEpoch: 0,
            highWatermark: 0,
            currentVoters: [],
            observers: [],
          })),
        })),
        nodes: [],
      };
    }
    const cluster = ctx.broker.cluster;
    const controller = controllerNode(ctx.broker);
    const end = metadataEndOffset(ctx.broker);
    const now = ctx.broker.clock.now();
    const replica = (replicaId: number) => ({
      replicaId,
      replicaDirectoryId: ZERO_UUID,
      logEndOffset: end,
      lastFetchTimestamp: now,
      lastCaughtUpTimestamp: now,
    });
    return {
      errorCode: 0,
      errorMessage: '',
      topics: [
        {
          topicName: METADATA_TOPIC,
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              errorMessage: '',
              leaderId: controller.nodeId,
              leaderEpoch: LEADER_EPOCH,
              highWatermark: end,
              currentVoters: [replica(controller.nodeId)],
              observers: cluster
                .liveNodes()
                .filter((n) => n !== controller)
                .map((n) => replica(n.nodeId)),
            },
          ],
        },
      ],
      nodes: [{ nodeId: controller.nodeId, listeners: [{ name: 'CONTROLLER', host: controller.host, port: controller.port }] }],
    };
  },
});
