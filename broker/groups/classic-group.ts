// A classic group (JoinGroup/SyncGroup protocol): its state, generation, protocol, leader and
// members (Kafka's ClassicGroup/ClassicGroupMember). Each ClassicGroup is the
// single owner of its members, pending members, static-member map, pending-sync set and its
// timers (join phase, pending sync, one session timer per member), all keyed like Kafka's timer
// keys so that scheduling a key replaces the previous timer. The transitions and request
// handling that drive it are in membership.ts (join, leave, heartbeat) and rebalance.ts.

import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../protocol/errors.js';
import { decodeSubscription } from '../../protocol/messages/consumer-protocol.js';
import type { Clock } from '../../storage/clock.js';
import { KeyedTimers } from './timers.js';
import {
  CONSUMER_PROTOCOL_TYPE,
  ClassicMember,
  EMPTY_BYTES,
  type JoinResponse,
  joinError,
  type Protocol,
  type SyncResponse,
  syncError,
} from './classic-member.js';
import { GroupError, type Group, type ListedGroup, type OffsetExpiration } from './group.js';

export type ClassicState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

/** Kafka's ClassicGroupState valid previous states. */
const VALID_PREVIOUS: Record<ClassicState, readonly ClassicState[]> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Empty', 'PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead'],
};

export class ClassicGroup implements Group {
  readonly type = 'classic' as const;
  // Everything below changes only through this class's methods; others read it through the
  // getters (members as Readonly<ClassicMember>).
  private _state: ClassicState;
  private _previousState: ClassicState;
  private _currentStateTimestamp: number | null;
  private _generationId: number;
  private _protocolType: string | null;
  private _protocolName: string | null;
  private _leaderId: string | null;
  private readonly _members = new Map<string, ClassicMember>();
  private readonly _pendingMembers = new Set<string>();
  private readonly _staticMembers = new Map<string, string>();
  private readonly _pendingSyncMembers = new Set<string>();
  private _numMembersAwaitingJoin = 0;
  private _newMemberAdded = false;
  private _subscribedTopics: Set<string> | null = null;
  /** How many members support each protocol name. */
  private readonly supportedProtocols = new Map<string, number>();
  private readonly timers: KeyedTimers;

  constructor(
    readonly groupId: string,
    private readonly clock: Clock,
    init: {
      state?: ClassicState;
      generationId?: number;
      protocolType?: string | null;
      protocolName?: string | null;
      leaderId?: string | null;
      currentStateTimestamp?: number | null;
    } = {},
  ) {
    this._state = init.state ?? 'Empty';
    this._previousState = this._state;
    this._generationId = init.generationId ?? 0;
    this._protocolType = init.protocolType ?? null;
    this._protocolName = init.protocolName ?? null;
    this._leaderId = init.leaderId ?? null;
    this._currentStateTimestamp = init.currentStateTimestamp === undefined ? clock.now() : init.currentStateTimestamp;
    this.timers = new KeyedTimers(clock);
  }

  get state(): ClassicState {
    return this._state;
  }
  get previousState(): ClassicState {
    return this._previousState;
  }
  /** When the group entered its current state (GroupMetadataValue.currentStateTimestamp), or null. */
  get currentStateTimestamp(): number | null {
    return this._currentStateTimestamp;
  }
  get generationId(): number {
    return this._generationId;
  }
  get protocolType(): string | null {
    return this._protocolType;
  }
  get protocolName(): string | null {
    return this._protocolName;
  }
  get leaderId(): string | null {
    return this._leaderId;
  }
  /** Members in join order (the first is the next leader when the leader goes). */
  get members(): ReadonlyMap<string, Readonly<ClassicMember>> {
    return this._members;
  }
  /** Dynamic members told MEMBER_ID_REQUIRED, expected back with their id. */
  get pendingMembers(): ReadonlySet<string> {
    return this._pendingMembers;
  }
  /** group.instance.id -> member id. */
  get staticMembers(): ReadonlyMap<string, string> {
    return this._staticMembers;
  }
  /** Members that got this generation's JoinGroup answer but have not sent SyncGroup. */
  get pendingSyncMembers(): ReadonlySet<string> {
    return this._pendingSyncMembers;
  }
  get numMembersAwaitingJoin(): number {
    return this._numMembersAwaitingJoin;
  }
  /** A member joined during the initial delay: extend it. */
  get newMemberAdded(): boolean {
    return this._newMemberAdded;
  }
  /** Topics the consumer members subscribe to (protocol type "consumer"), else null. */
  get subscribedTopics(): ReadonlySet<string> | null {
    return this._subscribedTopics;
  }

  // ---- state ------------------------------------------------------------------------------

  is(state: ClassicState): boolean {
    return this._state === state;
  }

  transitionTo(next: ClassicState): void {
    if (!VALID_PREVIOUS[next].includes(this._state)) throw new Error(`group ${this.groupId}: illegal transition ${this._state} -> ${next}`);
    this._previousState = this._state;
    this._state = next;
    this._currentStateTimestamp = this.clock.now();
  }

  /** Empty, CompletingRebalance and Stable may move to PreparingRebalance. */
  canRebalance(): boolean {
    return VALID_PREVIOUS.PreparingRebalance.includes(this._state);
  }

  /** The largest rebalance timeout among members: how long a join phase may last. */
  rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this._members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  hasAllMembersJoined(): boolean {
    return this._members.size === this._numMembersAwaitingJoin && this._pendingMembers.size === 0;
  }

  hasReceivedSyncFromAllMembers(): boolean {
    return this._pendingSyncMembers.size === 0;
  }

  isLeader(memberId: string): boolean {
    return this._leaderId === memberId;
  }

  // ---- members ----------------------------------------------------------------------------

  generateMemberId(clientId: string, groupInstanceId: string | null): string {
    return `${groupInstanceId ?? clientId}-${randomUUID()}`;
  }

  add(member: ClassicMember, onJoin: ((r: JoinResponse) => void) | null): void {
    if (member.groupInstanceId !== null) {
      if (this._staticMembers.has(member.groupInstanceId))
        throw new Error(`static member ${member.groupInstanceId} is already in ${this.groupId}`);
      this._staticMembers.set(member.groupInstanceId, member.memberId);
    }
    if (this._members.size === 0) this._protocolType = member.protocolType;
    this._members.set(member.memberId, member);
    this.countProtocols(member, 1);
    member.awaitingJoin = onJoin;
    if (onJoin) this._numMembersAwaitingJoin++;
    this._pendingMembers.delete(member.memberId);
    if (this._leaderId === null) this._leaderId = member.memberId;
  }

  /**
   * A member joining for the first time (Kafka's addMemberThenRebalanceOrCompleteJoin): it is
   * new until its join phase completes, and during an initial delay its arrival extends it.
   */
  addNewMember(member: ClassicMember, onJoin: (r: JoinResponse) => void): void {
    member.isNew = true;
    if (this.is('PreparingRebalance') && this._previousState === 'Empty') this._newMemberAdded = true;
    this.add(member, onJoin);
  }

  /** Members replayed from a stored GroupMetadataValue, with their assignments and the stored leader. */
  restoreMembers(members: ReadonlyArray<{ member: ClassicMember; assignment: Buffer }>, leaderId: string | null): void {
    for (const { member, assignment } of members) {
      member.assignment = assignment;
      this.add(member, null);
    }
    this._leaderId = leaderId;
    this._subscribedTopics = this.computeSubscribedTopics();
  }

  /** A dynamic member was told MEMBER_ID_REQUIRED: it is expected back with this id (KIP-394). */
  expectMember(memberId: string): void {
    this._pendingMembers.add(memberId);
  }

  /** The initial delay was extended for the newcomers so far: start counting again. */
  clearNewMemberAdded(): void {
    this._newMemberAdded = false;
  }

  /** The member got this generation's JoinGroup answer: no longer new, and its SyncGroup is expected. */
  memberJoined(member: ClassicMember): void {
    member.isNew = false;
    this._pendingSyncMembers.add(member.memberId);
  }

  /** SyncGroup from this member arrived. */
  syncReceived(memberId: string): void {
    this._pendingSyncMembers.delete(memberId);
  }

  /** Park the member's SyncGroup until the leader's assignment (or an error) completes it. */
  awaitSync(member: ClassicMember, onSync: (r: SyncResponse) => void): void {
    member.awaitingSync = onSync;
  }

  /** Every member's assignment: the given one, or empty bytes (the leader left it out, or an error reset them). */
  setAssignments(assignment: ReadonlyMap<string, Buffer>): void {
    for (const m of this._members.values()) m.assignment = assignment.get(m.memberId) ?? EMPTY_BYTES;
  }

  remove(memberId: string): void {
    const member = this._members.get(memberId);
    if (member) {
      this._members.delete(memberId);
      this.countProtocols(member, -1);
      if (member.awaitingJoin) this._numMembersAwaitingJoin--;
      if (member.groupInstanceId !== null) this._staticMembers.delete(member.groupInstanceId);
    }
    if (this.isLeader(memberId)) this._leaderId = this._members.keys().next().value ?? null;
    this._pendingMembers.delete(memberId);
    this._pendingSyncMembers.delete(memberId);
    this.cancelTimer(heartbeatKey(memberId));
  }

  updateMember(
    member: ClassicMember,
    protocols: Protocol[],
    rebalanceTimeoutMs: number,
    sessionTimeoutMs: number,
    onJoin: ((r: JoinResponse) => void) | null,
  ): void {
    this.countProtocols(member, -1);
    member.protocols = protocols;
    this.countProtocols(member, 1);
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.sessionTimeoutMs = sessionTimeoutMs;
    if (onJoin && !member.awaitingJoin) this._numMembersAwaitingJoin++;
    else if (!onJoin && member.awaitingJoin) this._numMembersAwaitingJoin--;
    member.awaitingJoin = onJoin;
  }

  /** A static member came back with a new member id: the old id is fenced, its state kept. */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): ClassicMember {
    const old = this._members.get(oldMemberId);
    if (!old) throw new Error(`no member ${oldMemberId} in ${this.groupId}`);
    this._members.delete(oldMemberId);
    this.completeJoin(old, { ...joinError(oldMemberId, ErrorCode.FENCED_INSTANCE_ID), generationId: -1 });
    this.completeSync(old, syncError(ErrorCode.FENCED_INSTANCE_ID));
    this.cancelTimer(heartbeatKey(oldMemberId));
    this._pendingSyncMembers.delete(oldMemberId);
    const fresh = new ClassicMember(
      newMemberId,
      old.groupInstanceId,
      old.clientId,
      old.clientHost,
      old.rebalanceTimeoutMs,
      old.sessionTimeoutMs,
      old.protocolType,
      old.protocols,
    );
    fresh.assignment = old.assignment;
    this._members.set(newMemberId, fresh);
    if (this.isLeader(oldMemberId)) this._leaderId = newMemberId;
    this._staticMembers.set(groupInstanceId, newMemberId);
    return fresh;
  }

  /** Keep the leader if it rejoined, else promote a member that did; false when nobody rejoined. */
  maybeElectNewJoinedLeader(): boolean {
    if (this._leaderId === null) return false;
    if (this._members.get(this._leaderId)?.awaitingJoin) return true;
    for (const m of this._members.values()) {
      if (m.awaitingJoin) {
        this._leaderId = m.memberId;
        return true;
      }
    }
    return false;
  }

  /** Current assignment of every member. */
  groupAssignment(): Map<string, Buffer> {
    return new Map([...this._members.values()].map((m) => [m.memberId, m.assignment]));
  }

  /** Throws UNKNOWN_MEMBER_ID / FENCED_INSTANCE_ID (Kafka's validateMember). */
  validateMember(memberId: string, groupInstanceId: string | null): void {
    if (groupInstanceId !== null) {
      const existing = this._staticMembers.get(groupInstanceId);
      if (existing === undefined) throw new GroupError(ErrorCode.UNKNOWN_MEMBER_ID);
      if (existing !== memberId) throw new GroupError(ErrorCode.FENCED_INSTANCE_ID);
    }
    if (!this._members.has(memberId)) throw new GroupError(ErrorCode.UNKNOWN_MEMBER_ID);
  }

  completeJoin(member: ClassicMember, response: JoinResponse): boolean {
    const cb = member.awaitingJoin;
    if (!cb) return false;
    member.awaitingJoin = null;
    this._numMembersAwaitingJoin--;
    cb(response);
    return true;
  }

  completeSync(member: ClassicMember, response: SyncResponse): boolean {
    const cb = member.awaitingSync;
    if (!cb) return false;
    member.awaitingSync = null;
    cb(response);
    return true;
  }

  // ---- protocols --------------------------------------------------------------------------

  /** Empty: any non-empty type and protocol list; else the group's type and a protocol every member has. */
  supportsProtocols(protocolType: string, protocols: readonly Protocol[]): boolean {
    if (this.is('Empty')) return protocolType !== '' && protocols.length > 0;
    return this._protocolType === protocolType && protocols.some((p) => (this.supportedProtocols.get(p.name) ?? 0) === this._members.size);
  }

  /** The protocol every member supports with the most first-choice votes. */
  selectProtocol(): string {
    if (this._members.size === 0) throw new Error(`cannot select a protocol for empty group ${this.groupId}`);
    const candidates = new Set<string>();
    for (const [name, n] of this.supportedProtocols) if (n === this._members.size) candidates.add(name);
    const votes = new Map<string, number>();
    for (const m of this._members.values()) {
      const v = m.vote(candidates);
      votes.set(v, (votes.get(v) ?? 0) + 1);
    }
    let best = '';
    let most = -1;
    for (const [name, n] of votes) if (n > most) [best, most] = [name, n];
    return best;
  }

  /** The member list a leader gets: each member's metadata for the selected protocol. */
  memberMetadata(): JoinResponse['members'] {
    return [...this._members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadata(this._protocolName!),
    }));
  }

  /** Next generation: pick the protocol (or none when empty), CompletingRebalance or Empty. */
  initNextGeneration(): void {
    this._generationId++;
    if (this._members.size > 0) {
      this._protocolName = this.selectProtocol();
      this._subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo('CompletingRebalance');
    } else {
      this._protocolName = null;
      this._subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo('Empty');
    }
    this._pendingSyncMembers.clear();
  }

  /** Topics named in the consumer members' subscriptions; null when unknown (not "consumer", unreadable). */
  computeSubscribedTopics(): Set<string> | null {
    if (this._protocolType !== CONSUMER_PROTOCOL_TYPE) return null;
    if (this._members.size === 0) return new Set();
    if (this._protocolName === null) return null;
    const topics = new Set<string>();
    try {
      for (const m of this._members.values()) for (const t of decodeSubscription(m.metadata(this._protocolName)).topics) topics.add(t);
    } catch {
      return null;
    }
    return topics;
  }

  private countProtocols(member: ClassicMember, delta: number): void {
    for (const p of member.protocols) {
      const n = (this.supportedProtocols.get(p.name) ?? 0) + delta;
      if (n <= 0) this.supportedProtocols.delete(p.name);
      else this.supportedProtocols.set(p.name, n);
    }
  }

  // ---- timers (owned here, keyed like Kafka's) ----------------------------------------------

  scheduleTimer(key: string, ms: number, fn: () => void): void {
    this.timers.schedule(key, ms, fn);
  }

  cancelTimer(key: string): void {
    this.timers.cancel(key);
  }

  get timerCount(): number {
    return this.timers.size;
  }

  // ---- Group --------------------------------------------------------------------------------

  stateName(): string {
    return this._state;
  }

  isEmpty(): boolean {
    return this.is('Empty');
  }

  isSubscribedToTopic(topic: string): boolean {
    return this._subscribedTopics?.has(topic) ?? false;
  }

  validateOffsetCommit(
    memberId: string,
    groupInstanceId: string | null,
    generationId: number,
    _apiVersion = 0,
    isTransactional = false,
  ): void {
    if (this.is('Dead')) throw new GroupError(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    // Simple commits (admin clients, consumers without group management) need an Empty group.
    if (generationId < 0 && this.is('Empty')) return;
    if (generationId >= 0 || memberId !== '' || groupInstanceId !== null) {
      this.validateMember(memberId, groupInstanceId);
      if (generationId !== this._generationId) throw new GroupError(ErrorCode.ILLEGAL_GENERATION);
    } else if (!isTransactional && !this.is('Empty')) {
      // TxnOffsetCommit before v3 has no member fields: its commits are not tied to the group's state.
      throw new GroupError(ErrorCode.UNKNOWN_MEMBER_ID);
    }
    if (!isTransactional && this.is('CompletingRebalance')) throw new GroupError(ErrorCode.REBALANCE_IN_PROGRESS);
  }

  validateOffsetDelete(): void {
    if (this.is('Dead')) throw new GroupError(ErrorCode.GROUP_ID_NOT_FOUND);
    if (!this.is('Empty') && this._protocolType !== CONSUMER_PROTOCOL_TYPE) throw new GroupError(ErrorCode.NON_EMPTY_GROUP);
  }

  validateDeleteGroup(): void {
    if (this.is('Dead')) throw new GroupError(ErrorCode.GROUP_ID_NOT_FOUND);
    if (!this.is('Empty')) throw new GroupError(ErrorCode.NON_EMPTY_GROUP);
  }

  offsetExpiration(): OffsetExpiration | null {
    const byBase =
      (base: (o: { commitTimestamp: number }) => number): OffsetExpiration =>
      (o, now, retentionMs) =>
        o.expireTimestamp !== null ? now >= o.expireTimestamp : now - base(o) >= retentionMs;
    if (this._protocolType === null || this._protocolType === '') return byBase((o) => o.commitTimestamp);
    if (this.is('Empty')) return byBase((o) => this._currentStateTimestamp ?? o.commitTimestamp);
    if (this._protocolType === CONSUMER_PROTOCOL_TYPE && this._subscribedTopics !== null && this.is('Stable'))
      return byBase((o) => o.commitTimestamp);
    return null;
  }

  asListedGroup(): ListedGroup {
    return { groupId: this.groupId, protocolType: this._protocolType ?? '', groupState: this._state, groupType: this.type };
  }

  dispose(errorCode: number): void {
    this.timers.cancelAll();
    for (const m of this._members.values()) {
      this.completeJoin(m, joinError(m.memberId, errorCode));
      this.completeSync(m, syncError(errorCode));
    }
  }
}

export const JOIN_KEY = 'join';
export const SYNC_KEY = 'sync';
export function heartbeatKey(memberId: string): string {
  return `heartbeat:${memberId}`;
}
