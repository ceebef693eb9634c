// The group coordinator of one broker (Kafka's GroupCoordinatorService and GroupCoordinatorShard).
// GroupCoordinator is the single owner of the group map (every group by id, whatever its type:
// classic and KIP-848 consumer groups, side by side) and of the offset-expiry timer; committed
// offsets are owned by its OffsetStore, the bytes by the `__consumer_offsets` partition logs
// (OffsetsTopic). It routes requests (FindCoordinator, NOT_COORDINATOR), validates what Kafka's
// GroupCoordinatorService validates, and hands classic requests to membership.ts / rebalance.ts.
// Offset requests are in commits.ts.
//
// Lifecycle: load() after the topics are open replays `__consumer_offsets` through replay.ts
// (groups come back with their members, Stable, and session timers armed, as after a Kafka
// coordinator failover; members that don't heartbeat in time are removed), then starts the
// expiry timer on the clock. shutdown() cancels every timer and answers parked
// JoinGroup/SyncGroup requests with NOT_COORDINATOR. KIP-848 consumer groups (consumer-group*.ts)
// live in the same map: their requests go to consumer-group-heartbeat.ts through `consumer`,
// their records (key versions 3-8) are replayed at load, and their members' session timers are
// armed after it. KIP-1071 streams groups (streams/) are kept the same way, through `streams`
// (key versions 17, 19-23), and KIP-932 share groups (share/) through `share` (key versions 10-15;
// `shareGroups` is what the rest of the broker may ask about them).

import type { Logger } from 'pino';
import type { BrokerConfig } from '../../config/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { Clock, TimerHandle } from '../../storage/clock.js';
import type { ClusterState } from '../cluster.js';
import { CoordinatorKeyType, type CoordinatorPlacement } from '../coordinator-placement.js';
import type { TopicManager } from '../topics.js';
import { ClassicGroup } from './classic-group.js';
import { EMPTY_BYTES, joinError, syncError, type JoinResponse, type SyncResponse } from './classic-member.js';
import { cleanupGroupMetadata, removeTopicOffsets } from './commits.js';
import { ConsumerGroup } from './consumer-group.js';
import { classicHeartbeat, classicJoin, classicSync } from './consumer-group-classic.js';
import { consumerGroupTombstones, leaveConsumerGroup } from './consumer-group-fencing.js';
import { consumerGroupHeartbeat, type ConsumerContext } from './consumer-group-heartbeat.js';
import { heartbeatError, type HeartbeatRequest, type HeartbeatResponse } from './consumer-group-request.js';
import type { GroupConfigs } from './group-configs.js';
import { GroupError, type DescribedGroup, type Group, type ListedGroup } from './group.js';
import { heartbeat, joinGroup, leaveGroup, type JoinRequest, type LeaveMember, type LeaveResult } from './membership.js';
import { classicJoinRefusal, downgradedGroup, type JoiningMember } from './migration.js';
import { OffsetStore } from './offsets.js';
import { GROUP_METADATA_TOPIC, OffsetsTopic } from './persistence.js';
import { prepareRebalance, rescheduleHeartbeat, syncGroup, type ClassicContext, type SyncRequest } from './rebalance.js';
import type { CoordinatorRecord, GroupMetadata } from './records.js';
import { replayGroups } from './replay.js';
import { streamsGroupHeartbeat, type StreamsContext } from './streams/heartbeat.js';
import { streamsGroupTombstones } from './streams/records.js';
import { streamsHeartbeatError, type StreamsHeartbeatRequest, type StreamsHeartbeatResponse } from './streams/request.js';
import { StreamsGroup } from './streams/streams-group.js';
import { shareGroupHeartbeat, shareGroupTombstones, shareHeartbeatError, type ShareContext } from './share/heartbeat.js';
import type { ShareHeartbeatRequest, ShareHeartbeatResponse } from './share/heartbeat.js';
import { ShareGroups } from './share/owner.js';
import { shareOffsetsAltered } from './share/offsets-altered.js';
import type { StateTopic } from './share/records.js';
import { ShareGroup } from './share/share-group.js';

/** Kafka's classicGroupNewMemberJoinTimeoutMs. */
const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60_000;

export class GroupCoordinator {
  /** Every group by id (owner: this class). */
  private readonly groups = new Map<string, Group>();
  readonly offsets = new OffsetStore();
  readonly topic: OffsetsTopic;
  readonly classic: ClassicContext;
  readonly consumer: ConsumerContext;
  readonly streams: StreamsContext;
  readonly share: ShareContext;
  /** What delivery and the operator surface ask about share groups, and their events (share/owner.ts). */
  readonly shareGroups: ShareGroups;
  /** GroupMetadata records written per group (JoinGroup writes an empty one for a new group otherwise). */
  private readonly groupWrites = new WeakMap<ClassicGroup, number>();
  private expiryTimer: TimerHandle | null = null;
  private stopped = false;

  constructor(
    private readonly deps: {
      topics: TopicManager;
      cluster: ClusterState;
      placement: CoordinatorPlacement;
      config: BrokerConfig;
      clock: Clock;
      log: Logger;
      /** Per-group configs (session timeouts, heartbeat intervals); they outlive DeleteGroups, as in Kafka 4.4. */
      groupConfigs: GroupConfigs;
    },
  ) {
    this.topic = new OffsetsTopic(deps.topics, deps.config, deps.clock, deps.log);
    // A group's coordinator leads its `__consumer_offsets` partition (created on first need, as
    // Kafka's FindCoordinator does).
    deps.placement.serve(CoordinatorKeyType.GROUP, (groupId) => this.topic.partitionFor(groupId).leaderId);
    this.classic = {
      clock: deps.clock,
      log: deps.log,
      newMemberJoinTimeoutMs: NEW_MEMBER_JOIN_TIMEOUT_MS,
      initialRebalanceDelayMs: () => deps.config.int('group.initial.rebalance.delay.ms'),
      storeGroup: (group, assignment) => this.storeGroup(group, assignment),
    };
    this.consumer = {
      clock: deps.clock,
      log: deps.log,
      config: deps.config,
      groupConfigs: deps.groupConfigs,
      topics: deps.topics,
      write: (groupId, records) => this.write(groupId, records),
      group: (groupId) => this.groups.get(groupId),
      addGroup: (group) => this.replaceGroup(group),
      downgrade: (group, leavingMemberId, joining) => this.downgrade(group, leavingMemberId, joining),
    };
    this.streams = { ...this.consumer, addGroup: (group) => this.replaceGroup(group) };
    this.shareGroups = new ShareGroups({
      group: (groupId) => this.groups.get(groupId),
      all: () => this.groups.values(),
      topics: deps.topics,
      log: deps.log,
    });
    this.share = { ...this.consumer, addGroup: (group) => this.replaceGroup(group), events: this.shareGroups };
  }

  get config(): BrokerConfig {
    return this.deps.config;
  }
  get clock(): Clock {
    return this.deps.clock;
  }
  /** Per-group configs (consumer.*, share.*, streams.* keys over the broker's group.* ones). */
  get groupConfigs(): GroupConfigs {
    return this.deps.groupConfigs;
  }
  get log(): Logger {
    return this.deps.log;
  }

  // ---- routing --------------------------------------------------------------------------------

  /** NONE when `nodeId` coordinates the group, else NOT_COORDINATOR (COORDINATOR_NOT_AVAILABLE once stopped). */
  checkCoordinator(groupId: string, nodeId: number): number {
    return this.deps.placement.check(CoordinatorKeyType.GROUP, groupId, nodeId);
  }

  // ---- the group map --------------------------------------------------------------------------

  group(groupId: string): Group | undefined {
    return this.groups.get(groupId);
  }

  classicGroup(groupId: string): ClassicGroup | undefined {
    const g = this.groups.get(groupId);
    return g instanceof ClassicGroup ? g : undefined;
  }

  getOrCreateClassicGroup(groupId: string): ClassicGroup {
    const existing = this.groups.get(groupId);
    if (existing instanceof ClassicGroup) return existing;
    if (existing) throw new Error(`group ${groupId} is a ${existing.type} group`);
    const group = new ClassicGroup(groupId, this.deps.clock);
    this.groups.set(groupId, group);
    return group;
  }

  consumerGroup(groupId: string): ConsumerGroup | undefined {
    const g = this.groups.get(groupId);
    return g instanceof ConsumerGroup ? g : undefined;
  }

  streamsGroup(groupId: string): StreamsGroup | undefined {
    const g = this.groups.get(groupId);
    return g instanceof StreamsGroup ? g : undefined;
  }

  /**
   * A consumer group of classic members becomes a classic group as `leavingMemberId` goes (Kafka's
   * convertToClassicGroup): its tombstones and the classic GroupMetadata in one write, then the
   * members' session timers and, unless a static member took the leaving one's place, a rebalance.
   */
  private downgrade(group: ConsumerGroup, leavingMemberId: string, joining?: JoiningMember): number {
    const { classic, assignment } = downgradedGroup(this.deps.topics, this.deps.clock, group, leavingMemberId, joining);
    const error = this.storeGroup(classic, assignment, consumerGroupTombstones(group));
    if (error !== ErrorCode.NONE) return error;
    this.replaceGroup(classic);
    for (const m of classic.members.values()) rescheduleHeartbeat(this.classic, classic, m);
    if (!joining) prepareRebalance(this.classic, classic, `Downgrade group ${group.groupId} from consumer to classic.`);
    return ErrorCode.NONE;
  }

  /** Put a group in the map, disposing of whatever had its id. */
  private replaceGroup(group: Group): void {
    const old = this.groups.get(group.groupId);
    if (old && old !== group) this.removeGroup(group.groupId);
    this.groups.set(group.groupId, group);
  }

  /** Records deleting a group's metadata (not its offsets). */
  groupTombstones(group: Group | undefined, groupId: string): CoordinatorRecord[] {
    if (group instanceof ConsumerGroup) return consumerGroupTombstones(group);
    if (group instanceof StreamsGroup) return streamsGroupTombstones(group);
    if (group instanceof ShareGroup) return shareGroupTombstones(group);
    return [{ kind: 'group', group: groupId, value: null }];
  }

  allGroups(): IterableIterator<Group> {
    return this.groups.values();
  }

  /** Remove a group for good (deleted or expired): timers cancelled, state Dead. */
  removeGroup(groupId: string): void {
    const g = this.groups.get(groupId);
    if (!g) return;
    this.groups.delete(groupId);
    g.dispose(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (g instanceof ClassicGroup) g.transitionTo('Dead');
    if (g instanceof ConsumerGroup || g instanceof StreamsGroup || g instanceof ShareGroup) g.dead = true;
    // Delivery releases what the group's members held (share/owner.ts).
    if (g instanceof ShareGroup) this.shareGroups.groupDeleted(groupId);
  }

  // ---- persistence ----------------------------------------------------------------------------

  /** Append one operation's records to the group's partition; 0 or the error code to answer with. */
  write(groupId: string, records: readonly CoordinatorRecord[]): number {
    try {
      this.topic.append(groupId, records);
      return ErrorCode.NONE;
    } catch (err) {
      this.deps.log.error({ err, group: groupId }, `cannot append to ${GROUP_METADATA_TOPIC}`);
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    }
  }

  private storeGroup(group: ClassicGroup, assignment: ReadonlyMap<string, Buffer>, before: readonly CoordinatorRecord[] = []): number {
    const value: GroupMetadata = {
      protocolType: group.protocolType ?? '',
      generation: group.generationId,
      protocol: group.protocolName,
      leader: group.leaderId,
      currentStateTimestamp: group.currentStateTimestamp ?? -1,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeout: m.rebalanceTimeoutMs,
        sessionTimeout: m.sessionTimeoutMs,
        subscription: m.metadata(group.protocolName!),
        assignment: assignment.get(m.memberId) ?? EMPTY_BYTES,
      })),
    };
    this.groupWrites.set(group, this.writesOf(group) + 1);
    return this.write(group.groupId, [...before, { kind: 'group', group: group.groupId, value }]);
  }

  /** Rebuild offsets and groups from `__consumer_offsets`, then start the timers. */
  load(): void {
    const started = this.deps.clock.monotonic();
    const count = this.replayAll();
    if (count > 0) {
      this.deps.log.info(
        { records: count, groups: this.groups.size, ms: Math.round(this.deps.clock.monotonic() - started) },
        `loaded ${GROUP_METADATA_TOPIC}`,
      );
    }
    const interval = this.deps.config.int('offsets.retention.check.interval.ms');
    this.expiryTimer = this.deps.clock.setInterval(() => cleanupGroupMetadata(this), interval);
  }

  /** A topic was deleted by a client or the HTTP API: its committed offsets go (commits.ts). */
  onTopicDeleted(deleted: string): void {
    removeTopicOffsets(this, deleted);
  }

  /** Rebuild groups and offsets from `__consumer_offsets` and arm their timers (start-up, test kit restore; replay.ts). */
  private replayAll(): number {
    return replayGroups({
      topic: this.topic,
      offsets: this.offsets,
      config: this.deps.config,
      classic: this.classic,
      consumer: this.consumer,
      streams: this.streams,
      share: this.share,
      group: (groupId) => this.groups.get(groupId),
      groups: () => this.groups.values(),
      put: (group) => this.replaceGroup(group),
      remove: (groupId) => this.removeGroup(groupId),
      discard: (groupId) => {
        const existing = this.groups.get(groupId);
        if (!existing) return;
        this.groups.delete(groupId);
        existing.dispose(ErrorCode.COORDINATOR_NOT_AVAILABLE);
      },
    });
  }

  /**
   * Test kit (broker.reset/restore): drop every group (timers cancelled, parked requests answered
   * with NOT_COORDINATOR) and every committed offset; with `replay`, rebuild them from
   * `__consumer_offsets` as at start-up. The expiry timer keeps running.
   */
  resetState(replay: boolean): void {
    for (const g of this.groups.values()) g.dispose(ErrorCode.NOT_COORDINATOR);
    this.groups.clear();
    this.offsets.clear();
    if (replay) this.replayAll();
  }

  /** Cancel every timer, answer parked requests with NOT_COORDINATOR; later requests are refused. */
  shutdown(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.deps.placement.stop();
    this.expiryTimer?.cancel();
    this.expiryTimer = null;
    for (const g of this.groups.values()) g.dispose(ErrorCode.NOT_COORDINATOR);
  }

  // ---- classic group requests -----------------------------------------------------------------

  joinGroup(groupId: string, req: JoinRequest, nodeId: number): JoinResponse | Promise<JoinResponse> {
    if (groupId === '') return joinError(req.memberId, ErrorCode.INVALID_GROUP_ID);
    const min = this.deps.config.int('group.min.session.timeout.ms');
    const max = this.deps.config.int('group.max.session.timeout.ms');
    if (req.sessionTimeoutMs < min || req.sessionTimeoutMs > max) return joinError(req.memberId, ErrorCode.INVALID_SESSION_TIMEOUT);
    const notHere = this.checkCoordinator(groupId, nodeId);
    if (notHere !== ErrorCode.NONE) return joinError(req.memberId, notHere);
    const existing = this.groups.get(groupId);
    if (existing && !(existing instanceof ClassicGroup)) {
      // A non-empty consumer group serves classic members unless the migration policy is disabled
      // (migration.ts, consumer-group-classic.ts); an empty one becomes a classic group.
      if (!existing.isEmpty() || req.memberId !== '') {
        const refused = classicJoinRefusal(this.deps.config, groupId);
        if (refused === null && existing instanceof ConsumerGroup && !existing.isEmpty()) return classicJoin(this.consumer, existing, req);
        this.deps.log.info({ group: groupId, why: refused }, 'classic member refused by a consumer group');
        return joinError(req.memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
      }
      const error = this.write(groupId, this.groupTombstones(existing, groupId));
      if (error !== ErrorCode.NONE) return joinError(req.memberId, error);
      this.removeGroup(groupId);
    }
    if (!existing && req.memberId !== '') return joinError(req.memberId, ErrorCode.UNKNOWN_MEMBER_ID);
    const group = this.getOrCreateClassicGroup(groupId);
    const writesBefore = this.writesOf(group);
    const result = joinGroup(this.classic, group, req, this.deps.config.int('group.max.size'));
    // A new group that nothing was written for yet is committed with an empty GroupMetadata.
    if (!existing && this.writesOf(group) === writesBefore && this.groups.get(groupId) === group) {
      this.write(groupId, [
        {
          kind: 'group',
          group: groupId,
          value: {
            protocolType: group.protocolType ?? '',
            generation: group.generationId,
            protocol: null,
            leader: null,
            currentStateTimestamp: group.currentStateTimestamp ?? -1,
            members: [],
          },
        },
      ]);
    }
    return result;
  }

  private writesOf(group: ClassicGroup): number {
    return this.groupWrites.get(group) ?? 0;
  }

  syncGroup(groupId: string, req: SyncRequest, nodeId: number): SyncResponse | Promise<SyncResponse> {
    if (groupId === '') return syncError(ErrorCode.INVALID_GROUP_ID);
    const notHere = this.checkCoordinator(groupId, nodeId);
    if (notHere !== ErrorCode.NONE) return syncError(notHere);
    const consumer = this.consumerGroup(groupId);
    if (consumer) return classicSync(this.consumer, consumer, req);
    const group = this.classicGroup(groupId);
    if (!group) return syncError(ErrorCode.UNKNOWN_MEMBER_ID);
    return syncGroup(this.classic, group, req);
  }

  heartbeat(groupId: string, memberId: string, groupInstanceId: string | null, generationId: number, nodeId: number): number {
    if (groupId === '') return ErrorCode.INVALID_GROUP_ID;
    const notHere = this.checkCoordinator(groupId, nodeId);
    if (notHere !== ErrorCode.NONE) return notHere;
    const consumer = this.consumerGroup(groupId);
    if (consumer) return classicHeartbeat(this.consumer, consumer, memberId, groupInstanceId, generationId);
    const group = this.classicGroup(groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    return heartbeat(this.classic, group, memberId, groupInstanceId, generationId);
  }

  leaveGroup(groupId: string, members: readonly LeaveMember[], nodeId: number): { errorCode: number; members: LeaveResult[] } {
    if (groupId === '') return { errorCode: ErrorCode.INVALID_GROUP_ID, members: [] };
    const notHere = this.checkCoordinator(groupId, nodeId);
    if (notHere !== ErrorCode.NONE) return { errorCode: notHere, members: [] };
    const consumer = this.consumerGroup(groupId);
    if (consumer) return { errorCode: ErrorCode.NONE, members: leaveConsumerGroup(this.consumer, consumer, members) };
    const group = this.classicGroup(groupId);
    if (!group) {
      return {
        errorCode: ErrorCode.NONE,
        members: members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: ErrorCode.UNKNOWN_MEMBER_ID })),
      };
    }
    return leaveGroup(this.classic, group, members);
  }

  // ---- consumer group requests (KIP-848) ------------------------------------------------------

  consumerGroupHeartbeat(req: HeartbeatRequest, nodeId: number): HeartbeatResponse {
    const notHere = req.groupId === '' ? ErrorCode.NONE : this.checkCoordinator(req.groupId, nodeId);
    if (notHere !== ErrorCode.NONE) return heartbeatError(notHere);
    return consumerGroupHeartbeat(this.consumer, req);
  }

  // ---- streams group requests (KIP-1071) ------------------------------------------------------

  streamsGroupHeartbeat(req: StreamsHeartbeatRequest, nodeId: number): StreamsHeartbeatResponse {
    const notHere = req.groupId === '' ? ErrorCode.NONE : this.checkCoordinator(req.groupId, nodeId);
    if (notHere !== ErrorCode.NONE) return streamsHeartbeatError(notHere);
    return streamsGroupHeartbeat(this.streams, req);
  }

  // ---- share group requests (KIP-932) ---------------------------------------------------------

  shareGroupHeartbeat(req: ShareHeartbeatRequest, nodeId: number): ShareHeartbeatResponse {
    const notHere = req.groupId === '' || req.memberId === '' ? ErrorCode.NONE : this.checkCoordinator(req.groupId, nodeId);
    if (notHere !== ErrorCode.NONE) return shareHeartbeatError(notHere);
    return shareGroupHeartbeat(this.share, req);
  }

  /** AlterShareGroupOffsets wrote share state for these partitions (broker/groups/share/offsets-altered.ts). */
  shareOffsetsAltered(groupId: string, topics: readonly StateTopic[]): void {
    shareOffsetsAltered(this.share, groupId, topics);
  }

  // ---- admin ----------------------------------------------------------------------------------

  describeGroup(groupId: string, nodeId: number): DescribedGroup {
    const notHere = this.checkCoordinator(groupId, nodeId);
    if (notHere !== ErrorCode.NONE) return { errorCode: notHere, groupId, groupState: '', protocolType: '', protocolData: '', members: [] };
    const dead = { errorCode: ErrorCode.NONE, groupId, groupState: 'Dead', protocolType: '', protocolData: '', members: [] };
    const group = this.classicGroup(groupId);
    if (!group) return dead;
    const stable = group.is('Stable');
    return {
      errorCode: ErrorCode.NONE,
      groupId,
      groupState: group.stateName(),
      protocolType: group.protocolType ?? '',
      protocolData: stable ? (group.protocolName ?? '') : '',
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: stable ? m.metadata(group.protocolName!) : EMPTY_BYTES,
        memberAssignment: m.assignment,
      })),
    };
  }

  /** Groups this node coordinates, filtered by state (case-insensitive) and type (empty filter: all). */
  listGroups(nodeId: number, states: readonly string[], types: readonly string[]): ListedGroup[] {
    const wantStates = new Set(states.map((s) => s.trim().toLowerCase()));
    const wantTypes = new Set(types.map((t) => t.trim().toLowerCase()));
    const out: ListedGroup[] = [];
    for (const g of this.groups.values()) {
      if (this.checkCoordinator(g.groupId, nodeId) !== ErrorCode.NONE) continue;
      if (wantStates.size > 0 && !wantStates.has(g.stateName().toLowerCase())) continue;
      if (wantTypes.size > 0 && !wantTypes.has(g.type)) continue;
      out.push(g.asListedGroup());
    }
    return out;
  }

  /** DeleteGroups for one group: offsets and group tombstones, then the group is gone. */
  deleteGroup(groupId: string, nodeId: number): number {
    const notHere = this.checkCoordinator(groupId, nodeId);
    if (notHere !== ErrorCode.NONE) return notHere;
    const group = this.groups.get(groupId);
    if (!group) return ErrorCode.GROUP_ID_NOT_FOUND;
    try {
      group.validateDeleteGroup();
    } catch (err) {
      if (err instanceof GroupError) return err.errorCode;
      throw err;
    }
    const records: CoordinatorRecord[] = this.offsets
      .all(groupId)
      .map((o) => ({ kind: 'offset', group: groupId, topic: o.topic, partition: o.partition, value: null }));
    records.push(...this.groupTombstones(group, groupId));
    const error = this.write(groupId, records);
    if (error !== ErrorCode.NONE) return error;
    for (const r of records) if (r.kind === 'offset') this.offsets.replay(r);
    this.removeGroup(groupId);
    return ErrorCode.NONE;
  }
}
