// A KIP-848 consumer group member over the raw wire client (ConsumerGroupHeartbeat v0), for
// the groups-kip848-*.test.ts files: it remembers its member id, epoch and owned partitions,
// and sends what a real consumer would (full request on join, owned partitions after).

import { ConsumerGroupDescribe, ConsumerGroupHeartbeat } from '../../protocol/messages/index.js';
import type { ResponseOf } from '../../protocol/schema.js';
import type { Broker } from '../../broker/index.js';
import { WireClient } from './wire-client.js';

export type HeartbeatResponse = ResponseOf<typeof ConsumerGroupHeartbeat>;
export type Owned = Array<{ topicId: string; partitions: number[] }>;

export interface CgOptions {
  topics?: string[];
  instanceId?: string | null;
  serverAssignor?: string | null;
  rebalanceTimeoutMs?: number;
}

export class CgMember {
  memberId = '';
  epoch = 0;
  owned: Owned = [];
  last: HeartbeatResponse | null = null;

  private constructor(
    readonly client: WireClient,
    readonly groupId: string,
    readonly opts: CgOptions,
  ) {}

  static async connect(bootstrap: string, groupId: string, opts: CgOptions = {}): Promise<CgMember> {
    return new CgMember(await WireClient.connect(bootstrap), groupId, opts);
  }

  /** One raw heartbeat with these fields (defaults: a partial heartbeat with the owned partitions). */
  send(body: Record<string, unknown>): Promise<HeartbeatResponse> {
    return this.client.send(ConsumerGroupHeartbeat, 0, {
      groupId: this.groupId,
      memberId: this.memberId,
      memberEpoch: this.epoch,
      instanceId: this.opts.instanceId ?? null,
      rackId: null,
      rebalanceTimeoutMs: -1,
      subscribedTopicNames: null,
      serverAssignor: null,
      topicPartitions: this.owned,
      ...body,
    });
  }

  private apply(res: HeartbeatResponse): HeartbeatResponse {
    this.last = res;
    if (res.errorCode === 0) {
      if (res.memberId !== null) this.memberId = res.memberId;
      this.epoch = res.memberEpoch;
      if (res.assignment !== null)
        this.owned = res.assignment.topicPartitions.map((t) => ({
          topicId: t.topicId,
          partitions: [...t.partitions].sort((a, b) => a - b),
        }));
    }
    return res;
  }

  async join(): Promise<HeartbeatResponse> {
    this.epoch = 0;
    this.owned = [];
    return this.apply(
      await this.send({
        memberEpoch: 0,
        rebalanceTimeoutMs: this.opts.rebalanceTimeoutMs ?? 30_000,
        subscribedTopicNames: this.opts.topics ?? ['t'],
        serverAssignor: this.opts.serverAssignor ?? null,
        topicPartitions: [],
      }),
    );
  }

  /** A heartbeat reporting the owned partitions (the client has done what the last answer asked). */
  async heartbeat(over: Record<string, unknown> = {}): Promise<HeartbeatResponse> {
    return this.apply(await this.send(over));
  }

  async leave(epoch = -1): Promise<HeartbeatResponse> {
    const res = await this.send({ memberEpoch: epoch, topicPartitions: null });
    if (res.errorCode === 0) {
      this.epoch = res.memberEpoch;
      if (epoch === -1) this.owned = [];
    }
    return res;
  }

  /** Owned partitions of one topic, sorted. */
  partitions(topicId: string): number[] {
    return this.owned.find((t) => t.topicId === topicId)?.partitions ?? [];
  }

  /** Heartbeat until the member is at `epoch` with nothing left to do (bounded). */
  async settle(): Promise<void> {
    for (let i = 0; i < 10; i++) {
      const before = JSON.stringify([this.epoch, this.owned]);
      await this.heartbeat();
      if (JSON.stringify([this.epoch, this.owned]) === before) return;
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

export async function describeConsumerGroup(client: WireClient, groupId: string) {
  const res = await client.send(ConsumerGroupDescribe, 0, { groupIds: [groupId], includeAuthorizedOperations: false });
  return res.groups[0]!;
}

export function topicId(broker: Broker, name: string): string {
  return broker.core.topics.get(name)!.id;
}

/** Heartbeat every member in turn until none changes any more. */
export async function settleAll(members: CgMember[]): Promise<void> {
  for (let round = 0; round < 10; round++) {
    const before = JSON.stringify(members.map((m) => [m.epoch, m.owned]));
    for (const m of members) await m.heartbeat();
    if (JSON.stringify(members.map((m) => [m.epoch, m.owned])) === before) return;
  }
}
