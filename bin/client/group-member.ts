// Membership of a classic consumer group, as a Kafka consumer does it: JoinGroup (with the
// MEMBER_ID_REQUIRED round of KIP-394), the leader assigns partitions with the range assignor,
// SyncGroup hands out the assignment, a heartbeat runs until leave(), and a rebalance
// announced by the coordinator sets `rejoinNeeded`. Offsets are committed with the member's
// generation (OffsetCommit) and read back with OffsetFetch.

import { codecFor } from '../../protocol/codec.js';
import { ErrorCode } from '../../protocol/errors.js';
import {
  ConsumerProtocolAssignment,
  ConsumerProtocolSubscription,
  decodeAssignment,
  decodeSubscription,
} from '../../protocol/messages/consumer-protocol.js';
import { Heartbeat, JoinGroup, LeaveGroup, OffsetCommit, OffsetFetch, SyncGroup } from '../../protocol/messages/index.js';
import { Writer } from '../../protocol/primitives.js';
import type { MessageSpec } from '../../protocol/schema.js';
import { check, KafkaError, type KafkaClient } from './client.js';

function encodeVersioned(msg: MessageSpec, version: number, value: unknown): Buffer {
  const w = new Writer(64);
  w.int16(version);
  codecFor(msg, version).write(w, value as never);
  return w.toBuffer();
}

/** The range assignor: per topic, members sorted by id take contiguous ranges of partitions. */
export function rangeAssign(
  members: Array<{ memberId: string; topics: string[] }>,
  partitionsOf: (topic: string) => number,
): Map<string, Map<string, number[]>> {
  const out = new Map<string, Map<string, number[]>>(members.map((m) => [m.memberId, new Map()]));
  const topics = new Set(members.flatMap((m) => m.topics));
  for (const topic of topics) {
    const subscribed = members
      .filter((m) => m.topics.includes(topic))
      .map((m) => m.memberId)
      .sort();
    const n = partitionsOf(topic);
    const per = Math.floor(n / subscribed.length);
    const extra = n % subscribed.length;
    let next = 0;
    subscribed.forEach((memberId, i) => {
      const count = per + (i < extra ? 1 : 0);
      out.get(memberId)!.set(
        topic,
        Array.from({ length: count }, (_, k) => next + k),
      );
      next += count;
    });
  }
  return out;
}

export class GroupMember {
  memberId = '';
  generationId = -1;
  /** Set when the coordinator announces a rebalance: call join() again. */
  rejoinNeeded = false;
  private coordinator = -1;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly client: KafkaClient,
    readonly groupId: string,
    private readonly topics: string[],
    private readonly opts: {
      sessionTimeoutMs?: number;
      rebalanceTimeoutMs?: number;
      heartbeatMs?: number;
      partitionsOf: (topic: string) => Promise<number>;
    },
  ) {}

  /** Join (or rejoin) and return this member's assignment: topic → partitions. */
  async join(): Promise<Map<string, number[]>> {
    this.stopHeartbeat();
    this.coordinator = await this.client.coordinator(this.groupId);
    const metadata = encodeVersioned(ConsumerProtocolSubscription, 0, { topics: this.topics, userData: null });
    for (let attempt = 0; attempt < 10; attempt++) {
      const { response: join } = await this.client.send(
        JoinGroup,
        () => ({
          groupId: this.groupId,
          sessionTimeoutMs: this.opts.sessionTimeoutMs ?? 10_000,
          rebalanceTimeoutMs: this.opts.rebalanceTimeoutMs ?? 30_000,
          memberId: this.memberId,
          groupInstanceId: null,
          protocolType: 'consumer',
          protocols: [{ name: 'range', metadata }],
        }),
        { node: this.coordinator, timeoutMs: (this.opts.rebalanceTimeoutMs ?? 30_000) + 30_000 },
      );
      if (join.errorCode === ErrorCode.MEMBER_ID_REQUIRED) {
        this.memberId = join.memberId;
        continue;
      }
      if (join.errorCode === ErrorCode.UNKNOWN_MEMBER_ID) {
        this.memberId = '';
        continue;
      }
      check(join.errorCode, `JoinGroup ${this.groupId}`);
      this.memberId = join.memberId;
      this.generationId = join.generationId;
      let assignments: Array<{ memberId: string; assignment: Buffer }> = [];
      if (join.leader === join.memberId) {
        const members = join.members.map((m) => ({ memberId: m.memberId, topics: decodeSubscription(m.metadata).topics }));
        const counts = new Map<string, number>();
        for (const t of new Set(members.flatMap((m) => m.topics))) counts.set(t, await this.opts.partitionsOf(t));
        const plan = rangeAssign(members, (t) => counts.get(t) ?? 0);
        assignments = [...plan].map(([memberId, byTopic]) => ({
          memberId,
          assignment: encodeVersioned(ConsumerProtocolAssignment, 0, {
            assignedPartitions: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
            userData: null,
          }),
        }));
      }
      const { response: sync } = await this.client.send(
        SyncGroup,
        () => ({
          groupId: this.groupId,
          generationId: this.generationId,
          memberId: this.memberId,
          groupInstanceId: null,
          protocolType: 'consumer',
          protocolName: 'range',
          assignments,
        }),
        { node: this.coordinator, timeoutMs: (this.opts.rebalanceTimeoutMs ?? 30_000) + 30_000 },
      );
      if (sync.errorCode === ErrorCode.REBALANCE_IN_PROGRESS) continue;
      check(sync.errorCode, `SyncGroup ${this.groupId}`);
      this.rejoinNeeded = false;
      this.startHeartbeat();
      const mine = new Map<string, number[]>();
      if (sync.assignment.length > 0)
        for (const a of decodeAssignment(sync.assignment).assignedPartitions)
          mine.set(
            a.topic,
            [...a.partitions].sort((x, y) => x - y),
          );
      return mine;
    }
    throw new Error(`could not join group ${this.groupId}: it kept rebalancing`);
  }

  private startHeartbeat(): void {
    this.heartbeat = setInterval(() => {
      this.client
        .send(
          Heartbeat,
          () => ({ groupId: this.groupId, generationId: this.generationId, memberId: this.memberId, groupInstanceId: null }),
          { node: this.coordinator },
        )
        .then(({ response }) => {
          if (response.errorCode !== ErrorCode.NONE) this.rejoinNeeded = true;
        })
        .catch(() => {
          this.rejoinNeeded = true;
        });
    }, this.opts.heartbeatMs ?? 3000);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  /** Committed offsets of the group for `partitions` of `topic` (-1: none). */
  async committed(topic: string, partitions: number[]): Promise<Map<number, number>> {
    return fetchCommitted(this.client, this.groupId, topic, partitions, this.coordinator);
  }

  /** Commit positions as this member (its generation). */
  async commit(topic: string, offsets: Map<number, number>): Promise<void> {
    await commitOffsets(this.client, this.groupId, topic, offsets, {
      coordinator: this.coordinator,
      generationId: this.generationId,
      memberId: this.memberId,
    });
  }

  async leave(): Promise<void> {
    this.stopHeartbeat();
    if (this.memberId === '' || this.coordinator < 0) return;
    await this.client
      .send(
        LeaveGroup,
        () => ({ groupId: this.groupId, memberId: this.memberId, members: [{ memberId: this.memberId, groupInstanceId: null }] }),
        { node: this.coordinator },
      )
      .catch(() => undefined);
  }
}

/** OffsetFetch of one topic's partitions. */
export async function fetchCommitted(
  client: KafkaClient,
  groupId: string,
  topic: string,
  partitions: number[],
  coordinator?: number,
): Promise<Map<number, number>> {
  const node = coordinator !== undefined && coordinator >= 0 ? coordinator : await client.coordinator(groupId);
  const { response } = await client.send(
    OffsetFetch,
    () => ({ groupId, topics: [{ name: topic, partitionIndexes: partitions }], requireStable: false }),
    { node },
  );
  check(response.errorCode);
  const out = new Map<number, number>();
  for (const t of response.topics) {
    for (const p of t.partitions) {
      check(p.errorCode, `${t.name}-${p.partitionIndex}`);
      out.set(p.partitionIndex, p.committedOffset);
    }
  }
  return out;
}

/** OffsetCommit: as a member (generation, member id) or, by default, as an admin (-1, ''). */
export async function commitOffsets(
  client: KafkaClient,
  groupId: string,
  topic: string,
  offsets: Map<number, number>,
  as: { coordinator?: number; generationId?: number; memberId?: string } = {},
): Promise<void> {
  if (offsets.size === 0) return;
  const node = as.coordinator !== undefined && as.coordinator >= 0 ? as.coordinator : await client.coordinator(groupId);
  const { response } = await client.send(
    OffsetCommit,
    () => ({
      groupId,
      generationIdOrMemberEpoch: as.generationId ?? -1,
      memberId: as.memberId ?? '',
      groupInstanceId: null,
      retentionTimeMs: -1,
      topics: [
        {
          name: topic,
          partitions: [...offsets].map(([partitionIndex, committedOffset]) => ({
            partitionIndex,
            committedOffset,
            committedLeaderEpoch: -1,
            commitTimestamp: -1,
            committedMetadata: '',
          })),
        },
      ],
    }),
    { node },
  );
  for (const t of response.topics) {
    for (const p of t.partitions) {
      if (p.errorCode === ErrorCode.UNKNOWN_MEMBER_ID && !as.memberId)
        throw new KafkaError(p.errorCode, `group ${groupId} has active members; stop its consumers first`);
      check(p.errorCode, `commit ${t.name}-${p.partitionIndex}`);
    }
  }
}
