// Rebuilding the group map and committed offsets from `__consumer_offsets` (Kafka's
// GroupCoordinatorShard.replay, GroupMetadataManager.replay and onLoaded): every record read
// back at load() or at a test kit restore is replayed in log order (offset commits, classic
// GroupMetadata, KIP-848 consumer group records of key versions 3-8, KIP-1071 streams group
// records of key versions 17 and 19-23, KIP-932 share group records of key versions 10-15), then the loaded groups' timers are armed. The group map
// stays the coordinator's: this file changes it only through the ReplayTarget callbacks.

import type { BrokerConfig } from '../../config/index.js';
import { ClassicGroup } from './classic-group.js';
import { ClassicMember } from './classic-member.js';
import { ConsumerGroup } from './consumer-group.js';
import { armLoadedGroup } from './consumer-group-fencing.js';
import type { ConsumerContext } from './consumer-group-heartbeat.js';
import { isConsumerGroupRecord, type ConsumerGroupRecord } from './consumer-group-records.js';
import type { Group } from './group.js';
import type { OffsetStore } from './offsets.js';
import type { OffsetsTopic } from './persistence.js';
import { prepareRebalance, rescheduleHeartbeat, type ClassicContext } from './rebalance.js';
import type { GroupMetadata } from './records.js';
import { armLoadedStreamsGroup, type StreamsContext } from './streams/heartbeat.js';
import { isStreamsGroupRecord, type StreamsGroupRecord } from './streams/records.js';
import { StreamsGroup } from './streams/streams-group.js';
import { armLoadedShareGroup, type ShareContext } from './share/heartbeat.js';
import { isShareGroupRecord, type ShareGroupRecord } from './share/records.js';
import { ShareGroup } from './share/share-group.js';

/** The coordinator's state as the replay sees it; the group map changes only through its callbacks. */
export interface ReplayTarget {
  readonly topic: OffsetsTopic;
  readonly offsets: OffsetStore;
  readonly config: BrokerConfig;
  readonly classic: ClassicContext;
  readonly consumer: ConsumerContext;
  readonly streams: StreamsContext;
  readonly share: ShareContext;
  group(groupId: string): Group | undefined;
  groups(): Iterable<Group>;
  /** Put a group in the map, disposing of whatever had its id (the group is then Dead). */
  put(group: Group): void;
  /** Remove a group for good: timers cancelled, state Dead. */
  remove(groupId: string): void;
  /** Take a group out of the map with its timers cancelled (its state left as it was). */
  discard(groupId: string): void;
}

/** Rebuild groups and offsets from `__consumer_offsets` and arm their timers; the number of records read. */
export function replayGroups(target: ReplayTarget): number {
  const count = target.topic.replay((rec) => {
    if (rec.kind === 'offset') {
      if (rec.value !== null && !target.group(rec.group)) target.put(new ClassicGroup(rec.group, target.classic.clock));
      target.offsets.replay(rec);
    } else if (rec.kind === 'group') {
      replayClassicGroup(target, rec.group, rec.value);
    } else if (isConsumerGroupRecord(rec)) {
      replayConsumerGroup(target, rec);
    } else if (isStreamsGroupRecord(rec)) {
      replayStreamsGroup(target, rec);
    } else if (isShareGroupRecord(rec)) {
      replayShareGroup(target, rec);
    }
  });
  for (const g of target.groups()) if (g instanceof ConsumerGroup) armLoadedGroup(target.consumer, g);
  for (const g of target.groups()) if (g instanceof StreamsGroup) armLoadedStreamsGroup(target.streams, g);
  for (const g of target.groups()) if (g instanceof ShareGroup) armLoadedShareGroup(target.share, g);
  const maxSize = target.config.int('group.max.size');
  for (const g of target.groups()) {
    if (!(g instanceof ClassicGroup)) continue;
    for (const m of g.members.values()) rescheduleHeartbeat(target.classic, g, m);
    if (g.members.size > maxSize) prepareRebalance(target.classic, g, `freshly-loaded group is over capacity ${maxSize}`);
  }
  return count;
}

function replayConsumerGroup(target: ReplayTarget, rec: ConsumerGroupRecord): void {
  const existing = target.group(rec.group);
  if (rec.kind === 'cg-epoch' && rec.value === null) {
    if (existing instanceof ConsumerGroup) target.remove(rec.group);
    return;
  }
  if (existing instanceof ConsumerGroup) existing.replay(rec);
  else if (rec.value !== null) {
    const group = new ConsumerGroup(rec.group);
    target.put(group);
    group.replay(rec);
  }
}

function replayStreamsGroup(target: ReplayTarget, rec: StreamsGroupRecord): void {
  const existing = target.group(rec.group);
  if (rec.kind === 'sg-epoch' && rec.value === null) {
    if (existing instanceof StreamsGroup) target.remove(rec.group);
    return;
  }
  if (existing instanceof StreamsGroup) existing.replay(rec);
  else if (rec.value !== null) {
    const group = new StreamsGroup(rec.group);
    target.put(group);
    group.replay(rec);
  }
}

function replayShareGroup(target: ReplayTarget, rec: ShareGroupRecord): void {
  const existing = target.group(rec.group);
  if (rec.kind === 'share-epoch' && rec.value === null) {
    if (existing instanceof ShareGroup) target.discard(rec.group);
    return;
  }
  if (existing instanceof ShareGroup) existing.replay(rec);
  else if (rec.value !== null) {
    const group = new ShareGroup(rec.group, target.share.clock);
    target.put(group);
    group.replay(rec);
  }
}

/** A classic GroupMetadata record: the group comes back with its members (Stable), or goes (tombstone). */
function replayClassicGroup(target: ReplayTarget, groupId: string, value: GroupMetadata | null): void {
  target.discard(groupId);
  if (value === null) return;
  const group = new ClassicGroup(groupId, target.classic.clock, {
    state: value.members.length === 0 ? 'Empty' : 'Stable',
    generationId: value.generation,
    protocolType: value.protocolType === '' ? null : value.protocolType,
    protocolName: value.protocol,
    leaderId: value.leader,
    currentStateTimestamp: value.currentStateTimestamp === -1 ? null : value.currentStateTimestamp,
  });
  const members = value.members.map((m) => {
    const rebalanceTimeout = m.rebalanceTimeout === -1 ? m.sessionTimeout : m.rebalanceTimeout;
    const protocols = value.protocol === null ? [] : [{ name: value.protocol, metadata: m.subscription }];
    const member = new ClassicMember(
      m.memberId,
      m.groupInstanceId,
      m.clientId,
      m.clientHost,
      rebalanceTimeout,
      m.sessionTimeout,
      value.protocolType,
      protocols,
    );
    return { member, assignment: m.assignment };
  });
  group.restoreMembers(members, value.leader);
  target.put(group);
}
