// StreamsGroupHeartbeat (KIP-1071, Kafka's GroupMetadataManager.streamsGroupHeartbeat): join
// (epoch 0, with the topology), heartbeat (epoch > 0), leave (-1), static leave (-2). Each request
// computes the records that change the group (topology, member metadata, group epoch with the
// topics' hash, target tasks, the member's current tasks), appends them in one batch and replays
// them onto the group, as consumer-group-heartbeat.ts does for KIP-848 groups.
//
// The topology is configured against the topics on every heartbeat (topology.ts): missing source
// topics, missing internal topics and wrongly partitioned topics leave the group NotReady with a
// status in the answer; missing repartition and changelog topics are created by the broker after
// the answer's records are written (Kafka's auto topic creation), so the next heartbeat finds
// them, the topics' hash changes and the group epoch goes up. The first target assignment of a
// new group waits group.streams.initial.rebalance.delay.ms (ASSIGNMENT_DELAYED). The tasks are in
// the answer when they changed, and on a join. Tasks move as
// partitions do in consumer groups: a member revokes first (UNREVOKED_TASKS), an active task
// still run by another member is held back (UNRELEASED_TASKS).

import type { Logger } from 'pino';
import type { BrokerConfig } from '../../../config/index.js';
import { ErrorCode } from '../../../protocol/errors.js';
import type { Clock } from '../../../storage/clock.js';
import type { TopicManager } from '../../topics.js';
import { ClassicGroup } from '../classic-group.js';
import type { Group } from '../group.js';
import type { CoordinatorRecord } from '../records.js';
import { assignTasks } from './assignor.js';
import { reconcile, sameCurrent, sameTuple, tuplesSubset } from './reconcile.js';
import {
  emptyTasks,
  isStreamsGroupRecord,
  StreamsMemberState,
  tasksFromWire,
  tasksToWire,
  type StreamsCurrentAssignment,
  type StreamsGroupRecord,
  type StreamsMemberMetadata,
  type Tasks,
  type TasksTuple,
  memberTombstones,
  sameAssignmentInputs,
  sameEndpoint,
  sameMeta,
} from './records.js';
import { invalidStreamsHeartbeat, streamsHeartbeatError, type StreamsHeartbeatRequest, type StreamsHeartbeatResponse } from './request.js';
import { emptyStreamsCurrent, LEAVE_GROUP_STATIC_MEMBER_EPOCH, StreamsGroup, StreamsMember } from './streams-group.js';
import { configureTopology, StreamsStatus, TopologyError, topicsHash, type ConfiguredTopology, type Status } from './topology.js';

export interface StreamsContext {
  clock: Clock;
  log: Logger;
  config: BrokerConfig;
  topics: TopicManager;
  write(groupId: string, records: readonly CoordinatorRecord[]): number;
  group(groupId: string): Group | undefined;
  /** Put a new streams group in the coordinator's map (replacing an empty classic one). */
  addGroup(group: StreamsGroup): void;
}

const sessionKey = (memberId: string) => `session:${memberId}`;
const rebalanceKey = (memberId: string) => `rebalance:${memberId}`;

/** The whole request; the coordinator has checked NOT_COORDINATOR. */
export function streamsGroupHeartbeat(ctx: StreamsContext, req: StreamsHeartbeatRequest): StreamsHeartbeatResponse {
  const bad = invalidStreamsHeartbeat(req);
  if (bad) return bad;
  const existing = ctx.group(req.groupId);
  if (req.memberEpoch < 0) {
    if (!(existing instanceof StreamsGroup)) return streamsHeartbeatError(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${req.groupId} not found.`);
    return leave(ctx, existing, req);
  }
  const records: CoordinatorRecord[] = [];
  let group: StreamsGroup;
  let isNew = false;
  if (existing instanceof StreamsGroup) group = existing;
  else if (existing && !(existing instanceof ClassicGroup && existing.isEmpty())) {
    return streamsHeartbeatError(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${req.groupId} is not a streams group.`);
  } else if (req.memberEpoch !== 0) {
    return streamsHeartbeatError(ErrorCode.GROUP_ID_NOT_FOUND, `Streams group ${req.groupId} not found.`);
  } else {
    // A new group, or an empty classic group (it keeps its offsets) becomes a streams group.
    if (existing) records.push({ kind: 'group', group: req.groupId, value: null });
    group = new StreamsGroup(req.groupId);
    group.initialDelayUntilMs = ctx.clock.now() + ctx.config.int('group.streams.initial.rebalance.delay.ms');
    isNew = true;
  }
  return join(ctx, group, isNew, req, records);
}

function ownedTasks(req: StreamsHeartbeatRequest): TasksTuple | null {
  if (req.activeTasks === null || req.standbyTasks === null || req.warmupTasks === null) return null;
  return { active: tasksFromWire(req.activeTasks), standby: tasksFromWire(req.standbyTasks), warmup: tasksFromWire(req.warmupTasks) };
}

function fenced(received: number, expected: number): StreamsHeartbeatResponse {
  const which = received > expected ? 'greater' : 'smaller';
  return streamsHeartbeatError(
    ErrorCode.FENCED_MEMBER_EPOCH,
    `The streams group member has a ${which} member epoch (${received}) than the one known by the group coordinator (${expected}). The member must abandon all its partitions and rejoin.`,
  );
}

function join(
  ctx: StreamsContext,
  group: StreamsGroup,
  isNew: boolean,
  req: StreamsHeartbeatRequest,
  records: CoordinatorRecord[],
): StreamsHeartbeatResponse {
  const owned = ownedTasks(req);
  const memberId = req.memberId;
  const member = group.members.get(memberId);
  let replaced: StreamsMember | undefined;
  if (req.memberEpoch === 0) {
    if (req.instanceId !== null) {
      const oldId = group.staticMembers.get(req.instanceId);
      const old = oldId === undefined ? undefined : group.members.get(oldId);
      if (old && old.memberId !== memberId) {
        if (old.current.memberEpoch !== LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
          return streamsHeartbeatError(
            ErrorCode.UNRELEASED_INSTANCE_ID,
            `Static member ${memberId} with instance id ${req.instanceId} cannot join the group because the instance id is owned by ${oldId} member.`,
          );
        }
        replaced = old;
      }
    }
    const max = ctx.config.int('group.streams.max.size');
    if (!member && !replaced && group.members.size >= max) {
      return streamsHeartbeatError(
        ErrorCode.GROUP_MAX_SIZE_REACHED,
        `The streams group has reached its maximum capacity of ${max} members.`,
      );
    }
  } else {
    if (!member) return streamsHeartbeatError(ErrorCode.UNKNOWN_MEMBER_ID, `Member ${memberId} is not a member of group ${group.groupId}.`);
    if (req.instanceId !== null && member.meta.instanceId !== req.instanceId) return streamsHeartbeatError(ErrorCode.FENCED_INSTANCE_ID);
    const cur = member.current;
    if (req.memberEpoch > cur.memberEpoch) return fenced(req.memberEpoch, cur.memberEpoch);
    if (
      req.memberEpoch < cur.memberEpoch &&
      (req.memberEpoch !== cur.previousMemberEpoch || (owned !== null && !tuplesSubset(owned, cur.assigned)))
    ) {
      return fenced(req.memberEpoch, cur.memberEpoch);
    }
  }

  // The topology: the first member sets it; later members must run the same epoch.
  const othersLeft = [...group.members.keys()].every((id) => id === memberId || id === replaced?.memberId);
  let topology = group.topology;
  if (req.topology !== null) {
    if (topology === null || (othersLeft && req.topology.epoch !== topology.epoch)) {
      topology = req.topology;
      records.push({ kind: 'sg-topology', group: group.groupId, value: topology });
    } else if (req.topology.epoch > topology.epoch) {
      return streamsHeartbeatError(ErrorCode.INVALID_REQUEST, 'Topology updates are not supported yet.');
    }
  }
  let configured: ConfiguredTopology;
  try {
    configured = configureTopology(ctx.topics, topology!);
  } catch (err) {
    if (err instanceof TopologyError) return streamsHeartbeatError(err.errorCode, err.message);
    throw err;
  }

  const base = member ?? replaced;
  const meta: StreamsMemberMetadata = {
    instanceId: req.instanceId ?? base?.meta.instanceId ?? null,
    rackId: req.rackId ?? base?.meta.rackId ?? null,
    clientId: req.clientId,
    clientHost: req.clientHost,
    rebalanceTimeoutMs: req.rebalanceTimeoutMs !== -1 ? req.rebalanceTimeoutMs : (base?.meta.rebalanceTimeoutMs ?? -1),
    topologyEpoch: req.topology?.epoch ?? base?.meta.topologyEpoch ?? 0,
    processId: req.processId ?? base?.meta.processId ?? '',
    userEndpoint: req.userEndpoint ?? base?.meta.userEndpoint ?? null,
    clientTags: req.clientTags ?? base?.meta.clientTags ?? [],
  };
  const metaChanged = !member || !sameMeta(member.meta, meta);
  const assignmentInputsChanged = !member || replaced !== undefined || !sameAssignmentInputs(member.meta, meta);
  if (replaced) records.push(...memberTombstones(group.groupId, replaced.memberId));
  if (metaChanged) records.push({ kind: 'sg-member', group: group.groupId, memberId, value: meta });

  // The group epoch goes up for a new member, changed assignment inputs, or a change of the topics.
  const hash = topicsHash(ctx.topics, topology);
  const validated = configured.ready ? topology!.epoch : -1;
  const now = ctx.clock.now();
  const initialDelay = now < group.initialDelayUntilMs;
  const intervalDelay =
    group.lastAssignmentMs !== null && now < group.lastAssignmentMs + ctx.config.int('group.streams.assignment.interval.ms');
  let groupEpoch = group.groupEpoch;
  if (assignmentInputsChanged || hash !== group.metadataHash || validated !== group.validatedTopologyEpoch) {
    groupEpoch++;
    records.push({
      kind: 'sg-epoch',
      group: group.groupId,
      value: { epoch: groupEpoch, metadataHash: hash, validatedTopologyEpoch: validated },
    });
  }

  // The target assignment, when the group epoch moved past it.
  const members = new Map(group.members);
  if (replaced) members.delete(replaced.memberId);
  members.set(memberId, new StreamsMember(memberId, meta, member?.current ?? emptyStreamsCurrent()));
  let targetEpoch = group.assignmentEpoch;
  let memberTarget = group.targets.get(memberId) ?? (replaced ? group.targets.get(replaced.memberId) : undefined) ?? emptyTasks();
  // The assignment waits for the initial delay and the assignment interval (it is computed by the
  // first heartbeat after them; a topology that is not ready assigns nothing). Meanwhile members
  // move toward the targets they have, new members toward nothing.
  const delayed = groupEpoch > group.assignmentEpoch && (initialDelay || intervalDelay);
  const assigned = groupEpoch > group.assignmentEpoch && !delayed;
  if (assigned) {
    if (configured.ready) {
      const targets = assignTasks(
        configured.tasks,
        [...members.values()].map((m) => ({
          memberId: m.memberId,
          processId: m.meta.processId,
          previous:
            group.targets.get(m.memberId) ??
            (m.memberId === memberId && replaced ? (group.targets.get(replaced.memberId) ?? emptyTasks()) : emptyTasks()),
        })),
        ctx.config.int('group.streams.num.standby.replicas'),
      );
      for (const [id, t] of targets) {
        const prev = group.targets.get(id);
        if (!prev || !sameTuple(prev, t) || id === memberId)
          records.push({ kind: 'sg-target', group: group.groupId, memberId: id, value: t });
      }
      memberTarget = targets.get(memberId)!;
    } else if (!group.targets.has(memberId)) {
      records.push({ kind: 'sg-target', group: group.groupId, memberId, value: memberTarget });
    }
    records.push({ kind: 'sg-target-epoch', group: group.groupId, value: groupEpoch });
    targetEpoch = groupEpoch;
  } else if (delayed && !group.targets.has(memberId)) {
    records.push({ kind: 'sg-target', group: group.groupId, memberId, value: memberTarget });
  }

  // Reconcile the member's current tasks toward its target.
  let current: StreamsCurrentAssignment = member && req.memberEpoch !== 0 ? member.current : emptyStreamsCurrent();
  if (replaced) current = { ...emptyStreamsCurrent(), assigned: replaced.current.assigned };
  const isFree = (sub: string, p: number) => {
    const o = group.activeOwnerOf(sub, p);
    return o === undefined || o === memberId || o === replaced?.memberId;
  };
  const next = reconcile(current, memberTarget, targetEpoch, owned, isFree);
  const before = member?.current;
  const replacedTasks = replaced?.current.assigned;
  if (!member || replaced || req.memberEpoch === 0 || !sameCurrent(member.current, next)) {
    records.push({ kind: 'sg-current', group: group.groupId, memberId, value: next });
  }

  const error = ctx.write(group.groupId, records);
  if (error !== ErrorCode.NONE) return streamsHeartbeatError(error);
  if (isNew) ctx.addGroup(group);
  for (const r of records) if (isStreamsGroupRecord(r)) group.replay(r);
  if (assigned && configured.ready) group.lastAssignmentMs = now;
  const tasksChanged = !sameTuple(before?.assigned ?? emptyTasks(), next.assigned);
  // A static member taking over another's instance id takes over its tasks: the map changes only with the endpoint.
  const mapChanged = replaced
    ? !sameTuple(replacedTasks!, next.assigned) || !sameEndpoint(replaced.meta.userEndpoint, meta.userEndpoint)
    : (!member && !isNew) || tasksChanged;
  // The endpoint-to-partitions map changes when a member with an endpoint comes, goes or gets other tasks.
  if (replaced) cancelMemberTimers(group, replaced.memberId);
  if (meta.userEndpoint !== null && mapChanged) group.endpointInformationEpoch++;
  const updated = group.members.get(memberId);
  if (updated && req.taskOffsets !== null) updated.taskOffsets = req.taskOffsets;
  if (updated && req.taskEndOffsets !== null) updated.taskEndOffsets = req.taskEndOffsets;
  if (req.shutdownApplication && group.shutdownRequestedBy === null) {
    group.shutdownRequestedBy = memberId;
    ctx.log.info({ group: group.groupId, member: memberId }, 'shutdown requested for the streams application');
  }
  if (!configured.ready) createInternalTopics(ctx, group, configured);

  scheduleSession(ctx, group, memberId);
  if (next.state === StreamsMemberState.UNREVOKED_TASKS) {
    if (
      before?.state !== StreamsMemberState.UNREVOKED_TASKS ||
      before.memberEpoch !== next.memberEpoch ||
      !group.timers.has(rebalanceKey(memberId))
    ) {
      scheduleRebalance(ctx, group, memberId, next.memberEpoch, meta.rebalanceTimeoutMs);
    }
  } else group.cancelTimer(rebalanceKey(memberId));

  const status: Status[] = [];
  if (initialDelay) {
    status.push({
      statusCode: StreamsStatus.ASSIGNMENT_DELAYED,
      statusDetail: 'Assignment delayed due to the configured initial rebalance delay.',
    });
  } else if (group.groupEpoch > group.assignmentEpoch && configured.ready) {
    status.push({
      statusCode: StreamsStatus.ASSIGNMENT_DELAYED,
      statusDetail: 'Assignment delayed due to the configured assignment interval.',
    });
  }
  if (topology !== null && meta.topologyEpoch < topology.epoch) {
    status.push({
      statusCode: StreamsStatus.STALE_TOPOLOGY,
      statusDetail: `The member's topology epoch ${meta.topologyEpoch} is behind the group's topology epoch ${topology.epoch}.`,
    });
  }
  if (!configured.ready) status.push(configured.status);
  if (group.shutdownRequestedBy !== null) {
    status.push({
      statusCode: StreamsStatus.SHUTDOWN_APPLICATION,
      statusDetail: `Streams group member ${group.shutdownRequestedBy} encountered a fatal error and requested a shutdown for the entire application.`,
    });
  }
  const sendTasks = req.memberEpoch === 0 || !before || tasksChanged;
  const lag = ctx.config.int('group.streams.acceptable.recovery.lag');
  const sendEndpoints =
    meta.userEndpoint !== null && (req.memberEpoch === 0 || req.endpointInformationEpoch !== group.endpointInformationEpoch);
  return {
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    memberId,
    memberEpoch: next.memberEpoch,
    heartbeatIntervalMs: ctx.config.int('group.streams.heartbeat.interval.ms'),
    // Kafka 4.4 fills only the int64 field, also at v0.
    acceptableRecoveryLagLegacy: 0,
    taskOffsetIntervalMs: ctx.config.int('group.streams.task.offset.interval.ms'),
    acceptableRecoveryLag: Number(lag),
    status,
    activeTasks: sendTasks ? tasksToWire(next.assigned.active) : null,
    standbyTasks: sendTasks ? tasksToWire(next.assigned.standby) : null,
    warmupTasks: sendTasks ? tasksToWire(next.assigned.warmup) : null,
    topologyDescriptionRequired: false,
    endpointInformationEpoch: group.endpointInformationEpoch,
    partitionsByUserEndpoint: sendEndpoints ? endpointsToPartitions(group, configured) : null,
  };
}

/** Kafka's EndpointToPartitionsManager: each member endpoint with the input partitions of its current tasks. */
function endpointsToPartitions(group: StreamsGroup, configured: ConfiguredTopology) {
  const inputs = configured.ready ? configured.inputTopics : new Map<string, string[]>();
  const partitions = (t: Tasks) => {
    const byTopic = new Map<string, Set<number>>();
    for (const [sub, ps] of t) {
      for (const topic of inputs.get(sub) ?? []) {
        const s = byTopic.get(topic) ?? new Set<number>();
        for (const p of ps) s.add(p);
        byTopic.set(topic, s);
      }
    }
    return [...byTopic]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([topic, s]) => ({ topic, partitions: [...s].sort((a, b) => a - b) }));
  };
  return [...group.members.values()]
    .filter((m) => m.meta.userEndpoint !== null)
    .map((m) => ({
      userEndpoint: m.meta.userEndpoint!,
      activePartitions: partitions(m.current.assigned.active),
      standbyPartitions: partitions(m.current.assigned.standby),
    }));
}

/** Kafka's InternalTopicManager hands missing topics to the broker's auto topic creation. */
function createInternalTopics(ctx: StreamsContext, group: StreamsGroup, configured: ConfiguredTopology): void {
  if (configured.ready) return;
  for (const t of configured.create) {
    const res = ctx.topics.create(t.name, { partitions: t.partitions, replicationFactor: t.replicationFactor, configs: t.configs });
    if (res.errorCode === ErrorCode.NONE) {
      ctx.log.info({ group: group.groupId, topic: t.name, partitions: t.partitions }, 'created an internal topic of a streams group');
    } else if (res.errorCode !== ErrorCode.TOPIC_ALREADY_EXISTS) {
      ctx.log.warn(
        { group: group.groupId, topic: t.name, errorCode: res.errorCode, message: res.errorMessage },
        'cannot create an internal topic of a streams group',
      );
    }
  }
}

// ---- leaving, fencing, timers ------------------------------------------------------------------

function leave(ctx: StreamsContext, group: StreamsGroup, req: StreamsHeartbeatRequest): StreamsHeartbeatResponse {
  let memberId = req.memberId;
  if (req.instanceId !== null) {
    const id = group.staticMembers.get(req.instanceId);
    if (id === undefined) return streamsHeartbeatError(ErrorCode.UNKNOWN_MEMBER_ID, `Instance id ${req.instanceId} is unknown.`);
    if (id !== req.memberId) {
      return streamsHeartbeatError(
        ErrorCode.FENCED_INSTANCE_ID,
        `Static member ${req.memberId} with instance id ${req.instanceId} was fenced by member ${id}.`,
      );
    }
    memberId = id;
  }
  const member = group.members.get(memberId);
  if (!member) return streamsHeartbeatError(ErrorCode.UNKNOWN_MEMBER_ID, `Member ${memberId} is not a member of group ${group.groupId}.`);
  const left: StreamsHeartbeatResponse = { ...streamsHeartbeatError(ErrorCode.NONE), memberId, memberEpoch: req.memberEpoch };
  if (req.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
    // The instance id stays reserved, and its tasks assigned, until it rejoins or its session times out.
    const value = { ...member.current, previousMemberEpoch: member.current.memberEpoch, memberEpoch: LEAVE_GROUP_STATIC_MEMBER_EPOCH };
    const records: StreamsGroupRecord[] = [{ kind: 'sg-current', group: group.groupId, memberId, value }];
    const error = ctx.write(group.groupId, records);
    if (error !== ErrorCode.NONE) return streamsHeartbeatError(error);
    for (const r of records) group.replay(r);
    group.cancelTimer(rebalanceKey(memberId));
    scheduleSession(ctx, group, memberId);
    return left;
  }
  const error = removeStreamsMember(ctx, group, memberId, 'left the group');
  return error === ErrorCode.NONE ? left : streamsHeartbeatError(error);
}

/** Fence a member: its records get tombstones and the group epoch goes up. */
export function removeStreamsMember(ctx: StreamsContext, group: StreamsGroup, memberId: string, reason: string): number {
  const records: StreamsGroupRecord[] = memberTombstones(group.groupId, memberId);
  const epoch = group.groupEpoch + 1;
  records.push({
    kind: 'sg-epoch',
    group: group.groupId,
    value: { epoch, metadataHash: group.metadataHash, validatedTopologyEpoch: group.validatedTopologyEpoch },
  });
  // The last member gone: the assignment epoch catches up.
  if (group.members.size === 1) records.push({ kind: 'sg-target-epoch', group: group.groupId, value: epoch });
  const error = ctx.write(group.groupId, records);
  if (error !== ErrorCode.NONE) return error;
  const hadEndpoint = (group.members.get(memberId)?.meta.userEndpoint ?? null) !== null;
  for (const r of records) group.replay(r);
  if (hadEndpoint) group.endpointInformationEpoch++;
  cancelMemberTimers(group, memberId);
  ctx.log.info({ group: group.groupId, member: memberId, epoch: group.groupEpoch }, `streams group member ${reason}`);
  return ErrorCode.NONE;
}

function cancelMemberTimers(group: StreamsGroup, memberId: string): void {
  group.cancelTimer(sessionKey(memberId));
  group.cancelTimer(rebalanceKey(memberId));
}

function scheduleSession(ctx: StreamsContext, group: StreamsGroup, memberId: string): void {
  const ms = ctx.config.int('group.streams.session.timeout.ms');
  group.setTimer(
    sessionKey(memberId),
    ctx.clock.setTimeout(() => {
      group.timers.delete(sessionKey(memberId));
      if (group.members.has(memberId)) removeStreamsMember(ctx, group, memberId, `fenced: session timeout (${ms} ms)`);
    }, ms),
  );
}

function scheduleRebalance(ctx: StreamsContext, group: StreamsGroup, memberId: string, epoch: number, ms: number): void {
  group.setTimer(
    rebalanceKey(memberId),
    ctx.clock.setTimeout(
      () => {
        group.timers.delete(rebalanceKey(memberId));
        const m = group.members.get(memberId);
        if (m && m.current.state === StreamsMemberState.UNREVOKED_TASKS && m.current.memberEpoch === epoch) {
          removeStreamsMember(ctx, group, memberId, `fenced: tasks not revoked within the rebalance timeout (${ms} ms)`);
        }
      },
      Math.max(ms, 0),
    ),
  );
}

/** After load: every member's session timer is armed, as after a coordinator failover. */
export function armLoadedStreamsGroup(ctx: StreamsContext, group: StreamsGroup): void {
  for (const id of group.members.keys()) scheduleSession(ctx, group, id);
}
