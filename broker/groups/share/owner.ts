// What the rest of the broker may ask about share groups (`core.shareGroups`): a member's
// existence and its assigned partitions, and events when a member leaves (its heartbeat with
// epoch -1, or its session timing out) or a group is deleted, so delivery (broker/share/, the
// ShareFetch/ShareAcknowledge side) releases what that member had acquired. The group
// coordinator (broker/groups/coordinator.ts) owns the groups; this object only reads them and
// fans events out. Listeners run synchronously after the records were written; a throwing
// listener is logged and does not stop the others.
//
//   core.shareGroups.member('g', 'm')  // { memberId, memberEpoch, assignment: [{ topicId, topicName, partitions }] } | undefined
//   const off = core.shareGroups.onMemberLeft((groupId, memberId) => release(groupId, memberId));

import type { Logger } from 'pino';
import type { TopicManager } from '../../topics.js';
import type { Group } from '../group.js';
import { namedAssignment } from './heartbeat.js';
import { ShareGroup } from './share-group.js';

/** What delivery knows of one share-partition of a group (its start offset, records in flight). */
export interface SharePartitionProgress {
  topic: string;
  partition: number;
  startOffset: number;
  inFlight: number;
}
export type ShareProgressProvider = (groupId: string) => SharePartitionProgress[];

export type MemberLeftListener = (groupId: string, memberId: string) => void;
export type GroupDeletedListener = (groupId: string) => void;

/** The side of ShareGroups the coordinator calls. */
export interface ShareGroupEvents {
  memberLeft(groupId: string, memberId: string): void;
  groupDeleted(groupId: string): void;
}

export interface ShareMemberView {
  memberId: string;
  memberEpoch: number;
  clientId: string;
  clientHost: string;
  rackId: string | null;
  subscribedTopicNames: string[];
  assignment: Array<{ topicId: string; topicName: string; partitions: number[] }>;
}

export interface ShareGroupView {
  groupId: string;
  state: string;
  groupEpoch: number;
  assignmentEpoch: number;
  members: ShareMemberView[];
}

export class ShareGroups implements ShareGroupEvents {
  private readonly left = new Set<MemberLeftListener>();
  private readonly deleted = new Set<GroupDeletedListener>();
  private progressOf: ShareProgressProvider = () => [];

  constructor(
    private readonly deps: { group(groupId: string): Group | undefined; all(): Iterable<Group>; topics: TopicManager; log: Logger },
  ) {}

  /** The share group with this id, if it is one. */
  group(groupId: string): ShareGroupView | undefined {
    const g = this.deps.group(groupId);
    return g instanceof ShareGroup ? this.view(g) : undefined;
  }

  /** Every share group. */
  groups(): ShareGroupView[] {
    const out: ShareGroupView[] = [];
    for (const g of this.deps.all()) if (g instanceof ShareGroup) out.push(this.view(g));
    return out.sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }

  /** A member of a share group, with its assigned partitions; undefined when it is not one. */
  member(groupId: string, memberId: string): ShareMemberView | undefined {
    const g = this.deps.group(groupId);
    if (!(g instanceof ShareGroup)) return undefined;
    const m = g.members.get(memberId);
    if (!m) return undefined;
    return {
      memberId,
      memberEpoch: m.current.memberEpoch,
      clientId: m.meta.clientId,
      clientHost: m.meta.clientHost,
      rackId: m.meta.rackId,
      subscribedTopicNames: [...m.meta.subscribedTopicNames],
      assignment: namedAssignment(this.deps.topics, m.current.assigned),
    };
  }

  /**
   * Delivery (broker/share/) says where each share-partition of a group stands; the operator
   * surface (HTTP group detail, `kafkalite groups describe`) shows it. Until one is set: nothing.
   */
  setProgressProvider(fn: ShareProgressProvider): void {
    this.progressOf = fn;
  }

  /** Start offsets and in-flight counts per share-partition of the group, from delivery. */
  progress(groupId: string): SharePartitionProgress[] {
    try {
      return this.progressOf(groupId);
    } catch (err) {
      this.deps.log.error({ err }, 'share progress provider failed');
      return [];
    }
  }

  /** Called after a member left or was fenced; returns a function removing the listener. */
  onMemberLeft(cb: MemberLeftListener): () => void {
    this.left.add(cb);
    return () => this.left.delete(cb);
  }

  /** Called after a share group was deleted (DeleteGroups, expiry); returns a function removing the listener. */
  onGroupDeleted(cb: GroupDeletedListener): () => void {
    this.deleted.add(cb);
    return () => this.deleted.delete(cb);
  }

  memberLeft(groupId: string, memberId: string): void {
    for (const cb of this.left) this.call(() => cb(groupId, memberId));
  }

  groupDeleted(groupId: string): void {
    for (const cb of this.deleted) this.call(() => cb(groupId));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.deps.log.error({ err }, 'share group listener failed');
    }
  }

  private view(g: ShareGroup): ShareGroupView {
    return {
      groupId: g.groupId,
      state: g.stateName(),
      groupEpoch: g.groupEpoch,
      assignmentEpoch: g.assignmentEpoch,
      members: [...g.members.keys()].sort().map((id) => this.member(g.groupId, id)!),
    };
  }
}
