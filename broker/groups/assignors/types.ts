// The server-side assignor contract (KIP-848, Kafka's ConsumerGroupPartitionAssignor): given
// every member's subscribed topic ids and its previous target assignment, and the partition
// count of each subscribed topic, return each member's new target. Pure and deterministic.

import type { Assignment } from '../consumer-group-records.js';

export interface AssignorMember {
  memberId: string;
  instanceId: string | null;
  subscribedTopicIds: ReadonlySet<string>;
  /** The member's previous target assignment (for stickiness). */
  current: Assignment;
}

export interface AssignorInput {
  members: readonly AssignorMember[];
  /** topic id -> partition count, for the topics any member subscribes to that exist. */
  topics: ReadonlyMap<string, number>;
}

export interface Assignor {
  readonly name: string;
  /** memberId -> target assignment (every member present, possibly empty). */
  assign(input: AssignorInput): Map<string, Assignment>;
}

export function addPartition(a: Assignment, topicId: string, p: number): void {
  let s = a.get(topicId);
  if (!s) {
    s = new Set();
    a.set(topicId, s);
  }
  s.add(p);
}

export function byId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
