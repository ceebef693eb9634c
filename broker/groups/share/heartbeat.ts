// ShareGroupHeartbeat (KIP-932, Kafka's GroupMetadataManager.shareGroupHeartbeat and
// shareGroupLeave, GroupCoordinatorService.throwIfShareGroupHeartbeatRequestIsInvalid): join
// (epoch 0, with the member id the client generated), heartbeat (epoch > 0), leave (-1). Each
// request computes the records that change the group (member metadata, group epoch with the
// subscribed topics' metadata hash, target assignment by the share assignor, the member's current
// assignment, the initialized share-partitions), appends them in one batch and replays them onto
// the group, so the group only holds what the log holds. A member that stops heartbeating is
// fenced by its session timer (the group's share.session.timeout.ms). Members leaving or fenced,
// and deleted groups, are announced through ShareGroupEvents (owner.ts) so delivery
// (broker/share/) releases what they had acquired.

import type { Logger } from 'pino';
import type { BrokerConfig } from '../../../config/index.js';
import { ErrorCode } from '../../../protocol/errors.js';
import type { Clock } from '../../../storage/clock.js';
import type { TopicManager } from '../../topics.js';
import { sameAssignment } from '../consumer-group-member.js';
import { toWire, type Assignment } from '../consumer-group-records.js';
import type { GroupConfigs } from '../group-configs.js';
import type { Group } from '../group.js';
import type { CoordinatorRecord } from '../records.js';
import { assignShare } from './assignor.js';
import type { ShareGroupEvents } from './owner.js';
import type { ShareGroupRecord, ShareMemberMetadata, StatePartitionMetadata, StateTopic } from './records.js';
import { ShareGroup, emptyShareCurrent, type ShareMember } from './share-group.js';

export const SHARE_LEAVE_GROUP_MEMBER_EPOCH = -1;

export interface ShareContext {
  clock: Clock;
  log: Logger;
  config: BrokerConfig;
  /** The group's own share.session.timeout.ms and share.heartbeat.interval.ms (or the broker's). */
  groupConfigs: GroupConfigs;
  topics: TopicManager;
  write(groupId: string, records: readonly CoordinatorRecord[]): number;
  group(groupId: string): Group | undefined;
  /** Put a new share group in the coordinator's map. */
  addGroup(group: ShareGroup): void;
  events: ShareGroupEvents;
}

export interface ShareHeartbeatRequest {
  groupId: string;
  memberId: string;
  memberEpoch: number;
  rackId: string | null;
  subscribedTopicNames: string[] | null;
  clientId: string;
  clientHost: string;
}

export interface ShareHeartbeatResponse {
  errorCode: number;
  errorMessage: string | null;
  memberId: string | null;
  memberEpoch: number;
  heartbeatIntervalMs: number;
  assignment: { topicPartitions: Array<{ topicId: string; partitions: number[] }> } | null;
}

export function shareHeartbeatError(errorCode: number, errorMessage: string | null = null): ShareHeartbeatResponse {
  return { errorCode, errorMessage, memberId: null, memberEpoch: 0, heartbeatIntervalMs: 0, assignment: null };
}

/**
 * Kafka's throwIfShareGroupHeartbeatRequestIsInvalid; null when valid. Kafka 4.4 answers an
 * empty member id without a message (KafkaApis refuses it before the coordinator's check).
 */
export function invalidShareHeartbeat(req: ShareHeartbeatRequest): ShareHeartbeatResponse | null {
  const bad = (msg: string | null) => shareHeartbeatError(ErrorCode.INVALID_REQUEST, msg);
  if (req.memberId === '') return bad(null);
  if (req.groupId === '') return bad("GroupId can't be empty.");
  if (req.rackId === '') return bad("RackId can't be empty.");
  if (req.memberEpoch === 0) {
    if (req.subscribedTopicNames === null || req.subscribedTopicNames.length === 0)
      return bad('SubscribedTopicNames must be set in first request.');
  } else if (req.memberEpoch < SHARE_LEAVE_GROUP_MEMBER_EPOCH) {
    return bad('MemberEpoch is invalid.');
  }
  return null;
}

/** The whole request; the coordinator has checked NOT_COORDINATOR. */
export function shareGroupHeartbeat(ctx: ShareContext, req: ShareHeartbeatRequest): ShareHeartbeatResponse {
  const bad = invalidShareHeartbeat(req);
  if (bad) return bad;
  const existing = ctx.group(req.groupId);
  if (existing && !(existing instanceof ShareGroup))
    return shareHeartbeatError(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${req.groupId} is not a share group.`);
  if (req.memberEpoch === SHARE_LEAVE_GROUP_MEMBER_EPOCH) {
    if (!existing) return shareHeartbeatError(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${req.groupId} not found.`);
    return leave(ctx, existing, req.memberId);
  }
  if (!existing && req.memberEpoch !== 0) return shareHeartbeatError(ErrorCode.GROUP_ID_NOT_FOUND, `Share group ${req.groupId} not found.`);
  const group = existing ?? new ShareGroup(req.groupId, ctx.clock);
  const max = ctx.config.int('group.share.max.size');
  if (group.members.size >= max && !group.members.has(req.memberId))
    return shareHeartbeatError(ErrorCode.GROUP_MAX_SIZE_REACHED, `The share group has reached its maximum capacity of ${max} members.`);

  const member = group.members.get(req.memberId);
  if (!member && req.memberEpoch !== 0)
    return shareHeartbeatError(ErrorCode.UNKNOWN_MEMBER_ID, `Member ${req.memberId} is not a member of group ${group.groupId}.`);
  if (member) {
    const fenced = epochError(member, req.memberEpoch);
    if (fenced) return shareHeartbeatError(ErrorCode.FENCED_MEMBER_EPOCH, fenced);
  }
  const meta: ShareMemberMetadata = {
    rackId: req.rackId ?? member?.meta.rackId ?? null,
    clientId: req.clientId,
    clientHost: req.clientHost,
    subscribedTopicNames: req.subscribedTopicNames ?? member?.meta.subscribedTopicNames ?? [],
  };
  const records: ShareGroupRecord[] = [];
  const gid = group.groupId;
  if (!member || !sameMeta(member.meta, meta)) records.push({ kind: 'share-member', group: gid, memberId: req.memberId, value: meta });

  const members = new Map<string, ShareMemberMetadata>([...group.members].map(([id, m]) => [id, m.meta]));
  members.set(req.memberId, meta);
  const topics = subscribedTopics(ctx.topics, members.values());
  const hash = metadataHash(topics);
  let groupEpoch = group.groupEpoch;
  if (!sameSet(member?.meta.subscribedTopicNames ?? [], meta.subscribedTopicNames) || hash !== group.metadataHash) {
    groupEpoch++;
    records.push({ kind: 'share-epoch', group: gid, value: { epoch: groupEpoch, metadataHash: hash } });
  }

  // The target assignment, when the group epoch moved past it and the assignment interval since
  // the last one has passed (share.assignment.interval.ms). Only initialized share-partitions are
  // assigned (Kafka's SubscribedTopicDescriber for share groups); the others are initialized
  // right after this heartbeat (see initialize below), which bumps the group epoch again.
  let targetEpoch = group.assignmentEpoch;
  let target = group.targets.get(req.memberId) ?? new Map();
  const now = ctx.clock.now();
  const interval = Number(ctx.groupConfigs.value(gid, 'share.assignment.interval.ms'));
  const delayed = group.lastAssignmentMs !== null && now < group.lastAssignmentMs + interval;
  const assigned = groupEpoch > group.assignmentEpoch && !delayed;
  if (assigned) {
    const initialized = initializedPartitions(group.statePartitions);
    const byName = new Map(topics.map((t) => [t.topicName, t]));
    const targets = assignShare({
      topics: new Map(
        topics.flatMap((t) => (initialized.get(t.topicId) ? [[t.topicId, initialized.get(t.topicId)!] as [string, number]] : [])),
      ),
      members: [...members].map(([memberId, m]) => ({
        memberId,
        instanceId: null,
        subscribedTopicIds: new Set(m.subscribedTopicNames.flatMap((n) => (byName.has(n) ? [byName.get(n)!.topicId] : []))),
        current: group.targets.get(memberId) ?? new Map(),
      })),
    });
    for (const [id, a] of targets) {
      const prev = group.targets.get(id);
      if (!prev || !sameAssignment(prev, a)) records.push({ kind: 'share-target', group: gid, memberId: id, value: a });
    }
    records.push({ kind: 'share-target-epoch', group: gid, value: groupEpoch });
    targetEpoch = groupEpoch;
    target = targets.get(req.memberId) ?? new Map();
  } else if (!group.targets.has(req.memberId)) {
    records.push({ kind: 'share-target', group: gid, memberId: req.memberId, value: target });
  }
  const initializing = toInitialize(group.statePartitions, topics);
  if (initializing) records.push({ kind: 'share-state', group: gid, value: initializing });

  // A share member takes its target at once (Kafka's ShareGroupAssignmentBuilder): nothing to revoke.
  const before = member?.current ?? emptyShareCurrent();
  const next =
    before.memberEpoch === targetEpoch && sameAssignment(before.assigned, target)
      ? before
      : { memberEpoch: targetEpoch, previousMemberEpoch: before.memberEpoch, state: 2, assigned: target };
  if (!member || next !== before) records.push({ kind: 'share-current', group: gid, memberId: req.memberId, value: next });

  if (records.length > 0) {
    const error = ctx.write(gid, records);
    if (error !== ErrorCode.NONE) return shareHeartbeatError(error);
  }
  if (!existing) ctx.addGroup(group);
  for (const r of records) group.replay(r);
  if (assigned) group.lastAssignmentMs = now;
  if (initializing) initialize(ctx, group);
  if (!member) ctx.log.info({ group: gid, member: req.memberId }, 'member joins the share group');
  scheduleShareSession(ctx, group, req.memberId);
  return {
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    memberId: req.memberId,
    memberEpoch: next.memberEpoch,
    heartbeatIntervalMs: ctx.groupConfigs.heartbeatIntervalMs(gid, 'share'),
    assignment:
      req.memberEpoch === 0 || !sameAssignment(before.assigned, next.assigned) ? { topicPartitions: toWire(next.assigned) } : null,
  };
}

/** Kafka's throwIfShareGroupMemberEpochIsInvalid: epoch 0 is always accepted (a rejoin keeps the member). */
function epochError(member: ShareMember, received: number): string | null {
  const { memberEpoch, previousMemberEpoch } = member.current;
  if (received === 0) return null;
  if (received > memberEpoch)
    return `The share group member has a greater member epoch (${received}) than the one known by the group coordinator (${memberEpoch}). The member must abandon all its partitions and rejoin.`;
  if (received < memberEpoch && received !== previousMemberEpoch)
    return `The share group member has a smaller member epoch (${received}) than the one known by the group coordinator (${memberEpoch}), and it does not match the previous member epoch (${previousMemberEpoch}). The member must abandon all its partitions and rejoin.`;
  return null;
}

function leave(ctx: ShareContext, group: ShareGroup, memberId: string): ShareHeartbeatResponse {
  if (!group.members.has(memberId))
    return shareHeartbeatError(ErrorCode.UNKNOWN_MEMBER_ID, `Member ${memberId} is not a member of group ${group.groupId}.`);
  const error = removeShareMember(ctx, group, memberId, 'left the share group');
  if (error !== ErrorCode.NONE) return shareHeartbeatError(error);
  return {
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    memberId,
    memberEpoch: SHARE_LEAVE_GROUP_MEMBER_EPOCH,
    heartbeatIntervalMs: 0,
    assignment: null,
  };
}

/** Fence a member (Kafka's shareGroupFenceMember): tombstones, the group epoch bumped, delivery told. */
export function removeShareMember(ctx: ShareContext, group: ShareGroup, memberId: string, reason: string): number {
  const gid = group.groupId;
  const records: ShareGroupRecord[] = memberTombstones(gid, memberId);
  const rest = [...group.members.values()].filter((m) => m.memberId !== memberId).map((m) => m.meta);
  const epoch = group.groupEpoch + 1;
  records.push({ kind: 'share-epoch', group: gid, value: { epoch, metadataHash: metadataHash(subscribedTopics(ctx.topics, rest)) } });
  // The last member gone: the assignment epoch catches up, as for consumer groups (KAFKA-20442).
  if (rest.length === 0) records.push({ kind: 'share-target-epoch', group: gid, value: epoch });
  const error = ctx.write(gid, records);
  if (error !== ErrorCode.NONE) return error;
  for (const r of records) group.replay(r);
  group.timers.cancel(sessionKey(memberId));
  ctx.log.info({ group: gid, member: memberId, epoch: group.groupEpoch }, `share group member ${reason}`);
  ctx.events.memberLeft(gid, memberId);
  return ErrorCode.NONE;
}

const sessionKey = (memberId: string) => `session:${memberId}`;

export function scheduleShareSession(ctx: ShareContext, group: ShareGroup, memberId: string): void {
  const ms = ctx.groupConfigs.sessionTimeoutMs(group.groupId, 'share');
  group.timers.schedule(sessionKey(memberId), ms, () => {
    if (group.members.has(memberId) && !group.dead) removeShareMember(ctx, group, memberId, `fenced: session timeout (${ms} ms)`);
  });
}

/** After load: every member's session timer is armed, as after a coordinator failover. */
export function armLoadedShareGroup(ctx: ShareContext, group: ShareGroup): void {
  for (const id of group.members.keys()) scheduleShareSession(ctx, group, id);
}

function memberTombstones(groupId: string, memberId: string): ShareGroupRecord[] {
  return [
    { kind: 'share-current', group: groupId, memberId, value: null },
    { kind: 'share-target', group: groupId, memberId, value: null },
    { kind: 'share-member', group: groupId, memberId, value: null },
  ];
}

/** Tombstones for every record of a group (DeleteGroups, expiry). */
export function shareGroupTombstones(group: ShareGroup): ShareGroupRecord[] {
  const out: ShareGroupRecord[] = [];
  for (const id of group.members.keys()) out.push(...memberTombstones(group.groupId, id));
  out.push({ kind: 'share-state', group: group.groupId, value: null });
  out.push({ kind: 'share-target-epoch', group: group.groupId, value: null });
  out.push({ kind: 'share-epoch', group: group.groupId, value: null });
  return out;
}

interface SubscribedTopic {
  topicId: string;
  topicName: string;
  numPartitions: number;
}

function subscribedTopics(topics: TopicManager, members: Iterable<ShareMemberMetadata>): SubscribedTopic[] {
  const names = new Set<string>();
  for (const m of members) for (const n of m.subscribedTopicNames) names.add(n);
  const out: SubscribedTopic[] = [];
  for (const name of [...names].sort()) {
    const t = topics.get(name);
    if (t) out.push({ topicId: t.id, topicName: name, numPartitions: t.partitions.length });
  }
  return out;
}

/**
 * A hash of the subscribed topics' ids, names and partition counts (KIP-1101's metadata hash
 * plays this part in Kafka; kafkalite's is a 32-bit FNV-1a, 0 for no topics): a changed hash
 * bumps the group epoch, so new partitions get assigned.
 */
export function metadataHash(topics: readonly SubscribedTopic[]): number {
  if (topics.length === 0) return 0;
  let h = 0x811c9dc5;
  for (const c of topics.map((t) => `${t.topicId}:${t.topicName}:${t.numPartitions};`).join('')) {
    h ^= c.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Partitions per topic id whose share state is initialized (the ones the assignor may hand out). */
function initializedPartitions(state: StatePartitionMetadata): Map<string, number> {
  return new Map(state.initialized.map((t) => [t.topicId, t.partitions.length]));
}

/**
 * The state metadata with the subscribed share-partitions not initialized yet moved to
 * initializing (Kafka's GroupMetadataManager.subscribedTopicsChangeMap and
 * maybeCreateInitializeShareGroupStateRequest); null when there are none.
 */
function toInitialize(state: StatePartitionMetadata, topics: readonly SubscribedTopic[]): StatePartitionMetadata | null {
  const initialized = initializedPartitions(state);
  const busy = new Set(state.initializing.map((t) => t.topicId));
  const add = topics.filter((t) => (initialized.get(t.topicId) ?? 0) < t.numPartitions && !busy.has(t.topicId));
  if (add.length === 0) return null;
  return {
    initializing: [
      ...state.initializing,
      ...add.map((t) => ({
        topicId: t.topicId,
        topicName: t.topicName,
        partitions: [...Array(t.numPartitions).keys()].filter((p) => p >= (initialized.get(t.topicId) ?? 0)),
      })),
    ],
    initialized: state.initialized,
    deleting: state.deleting,
  };
}

/**
 * The share coordinator initialized the share-partitions' state (kafkalite: at once, Kafka: an
 * InitializeShareGroupState round trip; Kafka's GroupMetadataManager.initializeShareGroupState):
 * they move to initialized and the group epoch goes up, so the next heartbeat assigns them.
 */
function initialize(ctx: ShareContext, group: ShareGroup): void {
  const state = group.statePartitions;
  const merged = new Map<string, StateTopic>(state.initialized.map((t) => [t.topicId, { ...t, partitions: [...t.partitions] }]));
  for (const t of state.initializing) {
    const had = merged.get(t.topicId);
    merged.set(t.topicId, { ...t, partitions: [...new Set([...(had?.partitions ?? []), ...t.partitions])].sort((x, y) => x - y) });
  }
  const records: ShareGroupRecord[] = [
    { kind: 'share-state', group: group.groupId, value: { initializing: [], initialized: [...merged.values()], deleting: state.deleting } },
    { kind: 'share-epoch', group: group.groupId, value: { epoch: group.groupEpoch + 1, metadataHash: group.metadataHash } },
  ];
  if (ctx.write(group.groupId, records) !== ErrorCode.NONE) return;
  for (const r of records) group.replay(r);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

function sameMeta(a: ShareMemberMetadata, b: ShareMemberMetadata): boolean {
  return (
    a.rackId === b.rackId &&
    a.clientId === b.clientId &&
    a.clientHost === b.clientHost &&
    a.subscribedTopicNames.length === b.subscribedTopicNames.length &&
    a.subscribedTopicNames.every((x, i) => x === b.subscribedTopicNames[i])
  );
}

/** The member's assignment with topic names (describe, the owner API). */
export function namedAssignment(topics: TopicManager, a: Assignment): Array<{ topicId: string; topicName: string; partitions: number[] }> {
  return toWire(a).map((t) => ({ ...t, topicName: topics.getById(t.topicId)?.name ?? '' }));
}
