// StreamsGroupDescribe (key 89), v0-1 (v1: include_topology_description, answered with no
// description and status 0, and the assignor name).
//
// Behaviour (Kafka's GroupMetadataManager.streamsGroupDescribe): for each streams group its
// state (Empty, NotReady, Assigning, Reconciling, Stable), group and assignment epochs, the
// topology with the partition counts its internal topics were configured with (null before the
// first member joined), and every member with its process, endpoint, client tags, current and
// target tasks, and the task offsets it last reported. An unknown group, or one that is not a
// streams group, gets GROUP_ID_NOT_FOUND ("Group <id> not found." / "Group <id> is not a
// streams group."); one coordinated elsewhere NOT_COORDINATOR. Authorized operations (when
// asked): every group operation.

import { ErrorCode } from '../../protocol/errors.js';
import { StreamsGroupDescribe } from '../../protocol/messages/index.js';
import { GROUP_OPERATIONS } from '../authorized-operations.js';
import { defineHandler } from '../handler.js';
import { STICKY_ASSIGNOR } from '../groups/streams/assignor.js';
import { tasksToWire, type TasksTuple } from '../groups/streams/records.js';
import type { StreamsGroup } from '../groups/streams/streams-group.js';
import { configureTopology } from '../groups/streams/topology.js';
import type { TopicManager } from '../topics.js';

const NOT_REQUESTED = -2147483648;

const tuple = (t: TasksTuple) => ({
  activeTasks: tasksToWire(t.active),
  standbyTasks: tasksToWire(t.standby),
  warmupTasks: tasksToWire(t.warmup),
});

/** The topology as described: internal topics with the partition counts in force once configured. */
function describedTopology(topics: TopicManager, g: StreamsGroup) {
  if (g.topology === null) return null;
  let counts = new Map<string, number>();
  try {
    const c = configureTopology(topics, g.topology);
    if (c.ready) for (const name of internalTopics(g)) counts.set(name, topics.get(name)?.partitions.length ?? 0);
  } catch {
    counts = new Map();
  }
  const info = (t: {
    name: string;
    partitions: number;
    replicationFactor: number;
    topicConfigs: Array<{ key: string; value: string }>;
  }) => ({
    ...t,
    partitions: counts.get(t.name) ?? t.partitions,
  });
  return {
    epoch: g.topology.epoch,
    subtopologies: g.topology.subtopologies.map((s) => ({
      subtopologyId: s.subtopologyId,
      sourceTopics: s.sourceTopics,
      repartitionSinkTopics: s.repartitionSinkTopics,
      stateChangelogTopics: s.stateChangelogTopics.map(info),
      repartitionSourceTopics: s.repartitionSourceTopics.map(info),
    })),
  };
}

function internalTopics(g: StreamsGroup): string[] {
  return g.topology!.subtopologies.flatMap((s) => [...s.stateChangelogTopics, ...s.repartitionSourceTopics].map((t) => t.name));
}

export default defineHandler({
  api: StreamsGroupDescribe,
  handle(req, ctx) {
    const coord = ctx.broker.groups;
    const groups = req.groupIds.map((groupId) => {
      const failed = (errorCode: number, errorMessage: string | null = null) => ({
        errorCode,
        errorMessage,
        groupId,
        groupState: '',
        groupEpoch: 0,
        assignmentEpoch: 0,
        topology: null,
        members: [],
        authorizedOperations: NOT_REQUESTED,
        topologyDescription: null,
        topologyDescriptionStatus: 0,
        assignorName: null,
      });
      const notHere = coord.checkCoordinator(groupId, ctx.node.nodeId);
      if (notHere !== ErrorCode.NONE) return failed(notHere);
      const g = coord.streamsGroup(groupId);
      if (!g || g.dead) {
        return failed(
          ErrorCode.GROUP_ID_NOT_FOUND,
          coord.group(groupId) ? `Group ${groupId} is not a streams group.` : `Group ${groupId} not found.`,
        );
      }
      return {
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        groupId,
        groupState: g.stateName(),
        groupEpoch: g.groupEpoch,
        assignmentEpoch: g.assignmentEpoch,
        topology: describedTopology(ctx.broker.topics, g),
        members: [...g.members.values()].map((m) => ({
          memberId: m.memberId,
          memberEpoch: m.current.memberEpoch,
          instanceId: m.meta.instanceId,
          rackId: m.meta.rackId,
          clientId: m.meta.clientId,
          clientHost: m.meta.clientHost,
          topologyEpoch: m.meta.topologyEpoch,
          processId: m.meta.processId,
          userEndpoint: m.meta.userEndpoint,
          clientTags: m.meta.clientTags,
          taskOffsets: m.taskOffsets,
          taskEndOffsets: m.taskEndOffsets,
          assignment: tuple(m.current.assigned),
          targetAssignment: tuple(g.targets.get(m.memberId) ?? { active: new Map(), standby: new Map(), warmup: new Map() }),
          isClassic: false,
        })),
        authorizedOperations: req.includeAuthorizedOperations ? GROUP_OPERATIONS : NOT_REQUESTED,
        topologyDescription: null,
        topologyDescriptionStatus: 0,
        assignorName: STICKY_ASSIGNOR,
      };
    });
    return { throttleTimeMs: 0, groups };
  },
});
