// Committed offsets of every group, whatever its type. OffsetStore is the single owner of the
// in-memory offsets; it changes only by replaying `__consumer_offsets` records (at start-up,
// and right after each commit/deletion record is appended), so memory always equals the log.
// The rules (who may commit, expiry conditions) live in the coordinator and the group types.

import type { OffsetCommitRecord } from './records.js';

export interface OffsetAndMetadata {
  offset: number;
  /** -1 when unknown. */
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  /** Explicit expiry (OffsetCommit v2-4 retention_time_ms), else null. */
  expireTimestamp: number | null;
}

export interface TopicOffset {
  topic: string;
  partition: number;
  value: OffsetAndMetadata;
}

export class OffsetStore {
  /** group -> topic -> partition -> committed offset. */
  private readonly byGroup = new Map<string, Map<string, Map<number, OffsetAndMetadata>>>();

  /** Apply one offset commit record (value null: tombstone). */
  replay(rec: OffsetCommitRecord): void {
    if (rec.value === null) {
      const topics = this.byGroup.get(rec.group);
      const parts = topics?.get(rec.topic);
      if (!parts) return;
      parts.delete(rec.partition);
      if (parts.size === 0) topics!.delete(rec.topic);
      if (topics!.size === 0) this.byGroup.delete(rec.group);
      return;
    }
    let topics = this.byGroup.get(rec.group);
    if (!topics) {
      topics = new Map();
      this.byGroup.set(rec.group, topics);
    }
    let parts = topics.get(rec.topic);
    if (!parts) {
      parts = new Map();
      topics.set(rec.topic, parts);
    }
    parts.set(rec.partition, rec.value);
  }

  /** Forget every offset (test kit reset/restore; the log is the truth and is replayed after). */
  clear(): void {
    this.byGroup.clear();
  }

  get(group: string, topic: string, partition: number): OffsetAndMetadata | undefined {
    return this.byGroup.get(group)?.get(topic)?.get(partition);
  }

  hasOffsets(group: string): boolean {
    return this.byGroup.has(group);
  }

  /** Every committed offset of a group, topics and partitions in commit order. */
  all(group: string): TopicOffset[] {
    const out: TopicOffset[] = [];
    for (const [topic, parts] of this.byGroup.get(group) ?? []) {
      for (const [partition, value] of parts) out.push({ topic, partition, value });
    }
    return out;
  }

  /** Topics with committed offsets in a group. */
  topics(group: string): string[] {
    return [...(this.byGroup.get(group)?.keys() ?? [])];
  }

  groupIds(): string[] {
    return [...this.byGroup.keys()];
  }
}
