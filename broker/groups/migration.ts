// KIP-848 online migration between classic and consumer groups: what
// group.consumer.migration.policy (Kafka's ConsumerGroupMigrationPolicy: disabled, downgrade,
// upgrade, bidirectional; default bidirectional, case-insensitive) allows, and Kafka's answers
// when it does not (GroupMetadataManager.validateOnlineUpgrade,
// throwIfClassicMemberCannotJoinConsumerGroup).
//
// When the policy allows, a KIP-848 member joining a classic group with members converts it
// (upgradeRecords, Kafka's ConsumerGroup.fromClassicGroup and convertToConsumerGroup), classic
// members of a consumer group are served by consumer-group-classic.ts, and the last KIP-848
// member leaving a group of classic members converts it back (downgradedGroup, Kafka's
// ClassicGroup.fromConsumerGroup and convertToClassicGroup). Empty groups change type under
// every policy, as in Kafka.

import type { BrokerConfig } from '../../config/index.js';
import {
  ConsumerProtocolAssignment,
  decodeAssignment,
  decodeSubscription,
  type ConsumerSubscription,
} from '../../protocol/messages/consumer-protocol.js';
import { encodeVersioned } from '../../protocol/messages/group-records.js';
import type { Clock } from '../../storage/clock.js';
import type { TopicManager } from '../topics.js';
import { ClassicGroup } from './classic-group.js';
import { CONSUMER_PROTOCOL_TYPE, ClassicMember } from './classic-member.js';
import type { ConsumerGroup } from './consumer-group.js';
import type { ConsumerMember } from './consumer-group-member.js';
import { MemberState, type Assignment, type ConsumerGroupRecord } from './consumer-group-records.js';

export type MigrationPolicy = 'disabled' | 'downgrade' | 'upgrade' | 'bidirectional';

export function migrationPolicy(config: BrokerConfig): MigrationPolicy {
  return config.str('group.consumer.migration.policy').trim().toLowerCase() as MigrationPolicy;
}

/** ConsumerGroupMigrationPolicy.isUpgradeEnabled. */
export function upgradeEnabled(config: BrokerConfig): boolean {
  const p = migrationPolicy(config);
  return p === 'upgrade' || p === 'bidirectional';
}

/** ConsumerGroupMigrationPolicy.isDowngradeEnabled. */
export function downgradeEnabled(config: BrokerConfig): boolean {
  const p = migrationPolicy(config);
  return p === 'downgrade' || p === 'bidirectional';
}

/**
 * Why a non-empty classic group cannot become a consumer group when a KIP-848 member joins it
 * (Kafka's validateOnlineUpgrade, each a GROUP_ID_NOT_FOUND message), or null when Kafka would
 * convert it.
 */
export function upgradeRefusal(config: BrokerConfig, group: ClassicGroup): string | null {
  const id = group.groupId;
  if (!upgradeEnabled(config)) return `Cannot upgrade classic group ${id} to consumer group because online upgrade is disabled.`;
  if (group.protocolType !== 'consumer')
    return `Cannot upgrade classic group ${id} to consumer group because the group does not use the consumer embedded protocol.`;
  if (group.members.size > config.int('group.consumer.max.size'))
    return `Cannot upgrade classic group ${id} to consumer group because the group size exceeds the consumer group maximum size.`;
  return null;
}

/** Kafka's throwIfClassicMemberCannotJoinConsumerGroup: only `disabled` keeps classic members out (INCONSISTENT_GROUP_PROTOCOL). */
export function classicJoinRefusal(config: BrokerConfig, groupId: string): string | null {
  return migrationPolicy(config) === 'disabled'
    ? `Cannot join the consumer group ${groupId} with the classic protocol because the group migration is disabled.`
    : null;
}

/**
 * Kafka's validateOnlineDowngradeWithFencedMember: the group goes back to classic when the member
 * leaving is the last one not speaking the classic protocol, others remain, the policy allows a
 * downgrade and they fit in group.max.size.
 */
export function downgradeAllowed(config: BrokerConfig, group: ConsumerGroup, leavingMemberId: string): boolean {
  for (const m of group.members.values()) if (m.memberId !== leavingMemberId && m.meta.classic === null) return false;
  if (group.members.size <= 1 || !downgradeEnabled(config)) return false;
  return group.members.size - 1 <= config.int('group.max.size');
}

/**
 * Kafka's validateOnlineDowngradeWithReplacedMemberId: a classic static member taking over the
 * instance id of the last member not speaking the classic protocol turns the group classic.
 */
export function replacementDowngradeAllowed(config: BrokerConfig, group: ConsumerGroup, replacedMemberId: string): boolean {
  for (const m of group.members.values()) if (m.memberId !== replacedMemberId && m.meta.classic === null) return false;
  return downgradeEnabled(config) && group.members.size <= config.int('group.max.size');
}

/** A classic member joining as a downgrade happens: it takes the place (and target assignment) of the member it replaces. */
export interface JoiningMember {
  memberId: string;
  meta: ConsumerMember['meta'];
}

/** Topic names -> topic ids, for partitions a classic member names (unknown topics dropped). */
export function assignmentByIds(topics: TopicManager, named: ReadonlyArray<{ topic: string; partitions: readonly number[] }>): Assignment {
  const out: Assignment = new Map();
  for (const t of named) {
    const id = topics.get(t.topic)?.id;
    if (id === undefined || t.partitions.length === 0) continue;
    const s = out.get(id) ?? new Set<number>();
    for (const p of t.partitions) s.add(p);
    out.set(id, s);
  }
  return out;
}

/**
 * A ConsumerProtocolAssignment for a classic member, at the version of its subscription (Kafka's
 * ConsumerProtocol.serializeAssignment with deserializeVersion of its first protocol's metadata).
 */
export function classicAssignmentBytes(topics: TopicManager, a: Assignment, subscription: Buffer): Buffer {
  const version = subscription.length >= 2 ? Math.min(Math.max(subscription.readInt16BE(0), 0), 3) : 0;
  const assignedPartitions = [...a]
    .map(([id, ps]) => ({ topic: topics.getById(id)?.name, partitions: [...ps].sort((x, y) => x - y) }))
    .filter((t): t is { topic: string; partitions: number[] } => t.topic !== undefined && t.partitions.length > 0)
    .sort((x, y) => (x.topic < y.topic ? -1 : x.topic > y.topic ? 1 : 0));
  return encodeVersioned(ConsumerProtocolAssignment, version, { assignedPartitions, userData: null });
}

/** The first protocol's subscription of a classic member (Kafka's deserializeSubscription), or null when malformed. */
export function classicSubscription(metadata: Buffer | undefined): ConsumerSubscription | null {
  if (metadata === undefined) return null;
  try {
    return decodeSubscription(metadata);
  } catch {
    return null;
  }
}

/**
 * The records of a consumer group made of a classic group's members (Kafka's
 * ConsumerGroup.fromClassicGroup then createConsumerGroupRecords): each member at the classic
 * generation, Stable, owning and targeted with its classic assignment, subscribed to the topics of
 * its JoinGroup metadata; null when a member's embedded protocol does not parse.
 */
export function upgradeRecords(topics: TopicManager, classic: ClassicGroup): ConsumerGroupRecord[] | null {
  const groupId = classic.groupId;
  const generation = classic.generationId;
  const protocol = classic.protocolName;
  if (protocol === null) return null;
  const members: Array<{ memberId: string; assigned: Assignment; record: ConsumerGroupRecord }> = [];
  for (const m of classic.members.values()) {
    let assigned: Assignment;
    let sub: ConsumerSubscription | null;
    try {
      assigned = m.assignment.length === 0 ? new Map() : assignmentByIds(topics, decodeAssignment(m.assignment).assignedPartitions);
      sub = classicSubscription(m.metadata(protocol));
    } catch {
      return null;
    }
    if (sub === null) return null;
    const meta = {
      instanceId: m.groupInstanceId,
      rackId: sub.rackId ?? null,
      clientId: m.clientId,
      clientHost: m.clientHost,
      subscribedTopicNames: sub.topics,
      subscribedTopicRegex: null,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      serverAssignor: null,
      classic: {
        sessionTimeoutMs: m.sessionTimeoutMs,
        supportedProtocols: m.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
      },
    };
    members.push({ memberId: m.memberId, assigned, record: { kind: 'cg-member', group: groupId, memberId: m.memberId, value: meta } });
  }
  const records: ConsumerGroupRecord[] = members.map((m) => m.record);
  records.push({ kind: 'cg-epoch', group: groupId, value: generation });
  for (const m of members) records.push({ kind: 'cg-target', group: groupId, memberId: m.memberId, value: m.assigned });
  records.push({ kind: 'cg-target-epoch', group: groupId, value: generation });
  for (const m of members) {
    const value = {
      memberEpoch: generation,
      previousMemberEpoch: generation,
      state: MemberState.STABLE,
      assigned: m.assigned,
      pendingRevocation: new Map(),
    };
    records.push({ kind: 'cg-current', group: groupId, memberId: m.memberId, value });
  }
  return records;
}

/**
 * The classic group a consumer group of classic members becomes when `leavingMemberId` goes
 * (Kafka's ClassicGroup.fromConsumerGroup): Stable at the group epoch, protocol type consumer,
 * the protocol the members agree on, each member's target assignment as its classic assignment.
 */
export function downgradedGroup(
  topics: TopicManager,
  clock: Clock,
  group: ConsumerGroup,
  leavingMemberId: string,
  joining: JoiningMember | null = null,
): { classic: ClassicGroup; assignment: Map<string, Buffer> } {
  const make = (protocolName: string | null) => {
    const classic = new ClassicGroup(group.groupId, clock, {
      state: 'Stable',
      generationId: group.groupEpoch,
      protocolType: CONSUMER_PROTOCOL_TYPE,
      protocolName,
      currentStateTimestamp: clock.now(),
    });
    const stayers: Array<{ memberId: string; meta: ConsumerMember['meta'] }> = [...group.members.values()].filter(
      (m) => m.memberId !== leavingMemberId && m.meta.classic !== null,
    );
    if (joining) stayers.push(joining);
    const members = stayers.map((m) => ({
      member: new ClassicMember(
        m.memberId,
        m.meta.instanceId,
        m.meta.clientId,
        m.meta.clientHost,
        m.meta.rebalanceTimeoutMs,
        m.meta.classic!.sessionTimeoutMs,
        CONSUMER_PROTOCOL_TYPE,
        m.meta.classic!.supportedProtocols.map((p) => ({ name: p.name, metadata: p.metadata })),
      ),
      assignment: Buffer.alloc(0),
    }));
    classic.restoreMembers(members, members[0]?.member.memberId ?? null);
    return { classic, members };
  };
  // The protocol is chosen as a classic group chooses it, among these members.
  const protocolName = make(null).classic.selectProtocol();
  const { classic, members } = make(protocolName);
  const assignment = new Map<string, Buffer>();
  for (const { member } of members) {
    const targetOf = member.memberId === joining?.memberId ? leavingMemberId : member.memberId;
    const bytes = classicAssignmentBytes(topics, group.targets.get(targetOf) ?? new Map(), member.metadata(protocolName));
    assignment.set(member.memberId, bytes);
  }
  classic.setAssignments(assignment);
  return { classic, assignment };
}
