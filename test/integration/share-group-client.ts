// A KIP-932 share group member over the raw wire client (ShareGroupHeartbeat v1), for the
// share-groups-*.test.ts files: it makes its own member id (as share consumers do), remembers its
// epoch and its last assignment.

import { randomUUID } from 'node:crypto';
import { ShareGroupHeartbeat } from '../../protocol/messages/index.js';
import type { ResponseOf } from '../../protocol/schema.js';
import type { WireClient } from './wire-client.js';

export type Hb = ResponseOf<typeof ShareGroupHeartbeat>;

/** A share member as a client keeps it: its own id, its epoch, its last assignment. */
export class SgMember {
  readonly memberId = randomUUID().replaceAll('-', '').slice(0, 22);
  epoch = 0;
  assigned: Array<{ topicId: string; partitions: number[] }> = [];
  constructor(
    readonly client: WireClient,
    readonly groupId: string,
    readonly topics: string[],
  ) {}
  async send(body: Record<string, unknown>): Promise<Hb> {
    const res = await this.client.send(ShareGroupHeartbeat, 1, {
      groupId: this.groupId,
      memberId: this.memberId,
      memberEpoch: this.epoch,
      rackId: null,
      subscribedTopicNames: null,
      ...body,
    });
    if (res.errorCode === 0) {
      this.epoch = res.memberEpoch;
      if (res.assignment) this.assigned = res.assignment.topicPartitions;
    }
    return res;
  }
  join(): Promise<Hb> {
    return this.send({ memberEpoch: 0, subscribedTopicNames: this.topics });
  }
  heartbeat(): Promise<Hb> {
    return this.send({});
  }
  leave(): Promise<Hb> {
    return this.send({ memberEpoch: -1 });
  }
  count(): number {
    return this.assigned.reduce((n, t) => n + t.partitions.length, 0);
  }
}

/** A ShareFetch v1 body asking for partition 0 of one topic: no acknowledgements, no wait, up to 500 records. */
export function shareFetchBody(groupId: string, memberId: string, shareSessionEpoch: number, topicId: string) {
  return {
    groupId,
    memberId,
    shareSessionEpoch,
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 1_048_576,
    maxRecords: 500,
    batchSize: 500,
    topics: [{ topicId, partitions: [{ partitionIndex: 0, acknowledgementBatches: [] }] }],
    forgottenTopicsData: [],
  };
}
