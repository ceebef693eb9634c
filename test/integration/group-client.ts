// A classic group member driven over the raw wire client, for tests that control every
// JoinGroup, SyncGroup and Heartbeat (and the virtual clock) themselves. Each member talks
// over its own connections: one for requests that may park (JoinGroup, SyncGroup) and one for
// heartbeats and commits, as a parked request holds its connection.

import { encodeVersioned } from '../../protocol/messages/group-records.js';
import { ConsumerProtocolAssignment, ConsumerProtocolSubscription } from '../../protocol/messages/consumer-protocol.js';
import { Heartbeat, JoinGroup, LeaveGroup, SyncGroup } from '../../protocol/messages/index.js';
import type { ResponseOf } from '../../protocol/schema.js';
import { WireClient } from './wire-client.js';

export const MEMBER_ID_REQUIRED = 79;

/** ConsumerProtocolSubscription v0 bytes for these topics. */
export function subscription(topics: string[]): Buffer {
  return encodeVersioned(ConsumerProtocolSubscription, 0, { topics, userData: null });
}

/** ConsumerProtocolAssignment v0 bytes. */
export function assignment(parts: Record<string, number[]>): Buffer {
  return encodeVersioned(ConsumerProtocolAssignment, 0, {
    assignedPartitions: Object.entries(parts).map(([topic, partitions]) => ({ topic, partitions })),
    userData: null,
  });
}

/** A promise and whether it has settled yet. */
export function tracked<T>(p: Promise<T>): { promise: Promise<T>; settled(): boolean } {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  return { promise: p, settled: () => done };
}

export interface MemberOptions {
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  protocolType?: string;
  /** Protocols in preference order; default one 'range' protocol subscribing to `topics`. */
  protocols?: Array<{ name: string; metadata: Buffer }>;
  topics?: string[];
  instanceId?: string | null;
  clientId?: string;
}

type JoinResponse = ResponseOf<typeof JoinGroup>;

export class Member {
  memberId = '';
  generation = -1;
  leader = '';
  protocolName: string | null = null;
  lastJoin: JoinResponse | null = null;

  private constructor(
    readonly groupId: string,
    readonly main: WireClient,
    readonly side: WireClient,
    readonly opts: Required<Omit<MemberOptions, 'instanceId'>> & { instanceId: string | null },
  ) {}

  static async connect(bootstrap: string, groupId: string, opts: MemberOptions = {}): Promise<Member> {
    const topics = opts.topics ?? ['t'];
    const full = {
      sessionTimeoutMs: opts.sessionTimeoutMs ?? 10_000,
      rebalanceTimeoutMs: opts.rebalanceTimeoutMs ?? 20_000,
      protocolType: opts.protocolType ?? 'consumer',
      protocols: opts.protocols ?? [{ name: 'range', metadata: subscription(topics) }],
      topics,
      instanceId: opts.instanceId ?? null,
      clientId: opts.clientId ?? 'wire-member',
    };
    return new Member(groupId, await WireClient.connect(bootstrap), await WireClient.connect(bootstrap), full);
  }

  /** One JoinGroup as is (may park). Updates memberId/generation from a successful answer. */
  async joinOnce(
    version = 5,
    overrides: Partial<{
      memberId: string;
      protocols: Array<{ name: string; metadata: Buffer }>;
      protocolType: string;
      sessionTimeoutMs: number;
    }> = {},
  ): Promise<JoinResponse> {
    const res = await this.main.send(
      JoinGroup,
      version,
      {
        groupId: this.groupId,
        sessionTimeoutMs: overrides.sessionTimeoutMs ?? this.opts.sessionTimeoutMs,
        rebalanceTimeoutMs: this.opts.rebalanceTimeoutMs,
        memberId: overrides.memberId ?? this.memberId,
        groupInstanceId: this.opts.instanceId,
        protocolType: overrides.protocolType ?? this.opts.protocolType,
        protocols: overrides.protocols ?? this.opts.protocols,
      },
      { clientId: this.opts.clientId },
    );
    if (res.errorCode === MEMBER_ID_REQUIRED) this.memberId = res.memberId;
    if (res.errorCode === 0) {
      this.memberId = res.memberId;
      this.generation = res.generationId;
      this.leader = res.leader;
      this.protocolName = res.protocolName;
    }
    this.lastJoin = res;
    return res;
  }

  /** JoinGroup, answering MEMBER_ID_REQUIRED with the id given (v4+). */
  async join(version = 5): Promise<JoinResponse> {
    const first = await this.joinOnce(version);
    if (first.errorCode !== MEMBER_ID_REQUIRED) return first;
    return this.joinOnce(version);
  }

  get isLeader(): boolean {
    return this.memberId !== '' && this.memberId === this.leader;
  }

  sync(assignments: Array<{ memberId: string; assignment: Buffer }> = [], version = 3): Promise<ResponseOf<typeof SyncGroup>> {
    return this.main.send(SyncGroup, version, {
      groupId: this.groupId,
      generationId: this.generation,
      memberId: this.memberId,
      groupInstanceId: this.opts.instanceId,
      protocolType: this.opts.protocolType,
      protocolName: this.protocolName,
      assignments,
    });
  }

  async heartbeat(version = 3): Promise<number> {
    const res = await this.side.send(Heartbeat, version, {
      groupId: this.groupId,
      generationId: this.generation,
      memberId: this.memberId,
      groupInstanceId: this.opts.instanceId,
    });
    return res.errorCode;
  }

  async leave(): Promise<ResponseOf<typeof LeaveGroup>> {
    return this.side.send(LeaveGroup, 3, {
      groupId: this.groupId,
      members: [{ memberId: this.memberId, groupInstanceId: this.opts.instanceId }],
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.main.close(), this.side.close()]);
  }
}
