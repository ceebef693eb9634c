// The share coordinator's state topic `__share_group_state` (KIP-932; Kafka's ShareCoordinatorShard
// and its persister): every change of a share partition's durable state is appended before the
// request that made it is answered, so a restart or a kill -9 replays it. Records are Kafka's:
// a ShareSnapshot (the whole state: start offset, state epoch, in-flight batches) when a share
// partition is first written and after every `share.coordinator.snapshot.update.records.per.snapshot`
// updates, ShareUpdate records in between (ours carry the whole in-flight window too, so replay
// overlays them on the snapshot as Kafka's ShareCoordinatorShard combines batches), tombstones
// for both keys when the state is deleted. A key (group, topic id, partition) lives in partition
// abs(hash("group:topicId:partition")) % share.coordinator.state.topic.num.partitions, Kafka's
// SharePartitionKey.asCoordinatorKey.
//
// Owner of the records; the state they describe is ShareManager's (broker/share/manager.ts).

import type { Logger } from 'pino';
import type { BrokerConfig } from '../../config/index.js';
import { decodeVersioned, encodeVersioned } from '../../protocol/messages/group-records.js';
import {
  ShareRecordKeyVersion,
  ShareSnapshotKey,
  ShareSnapshotValue,
  ShareUpdateKey,
  ShareUpdateValue,
} from '../../protocol/messages/share-state-records.js';
import type { Clock } from '../../storage/clock.js';
import { InternalTopic } from '../internal-topic.js';
import type { TopicManager } from '../topics.js';
import type { SharePersistence } from './manager.js';
import type { SharePartition, StateBatch } from './share-partition.js';

export const SHARE_STATE_TOPIC = '__share_group_state';

/** A share partition's durable state, as replay rebuilds it. */
export interface StoredShareState {
  groupId: string;
  topicId: string;
  partition: number;
  stateEpoch: number;
  leaderEpoch: number;
  startOffset: number;
  batches: StateBatch[];
}

interface KeyState {
  snapshotEpoch: number;
  updatesSinceSnapshot: number;
  createTimestamp: number;
}

export const coordinatorKey = (groupId: string, topicId: string, partition: number) => `${groupId}:${topicId}:${partition}`;

export class ShareStateStore implements SharePersistence {
  private readonly topic: InternalTopic;
  private readonly keys = new Map<string, KeyState>();

  constructor(
    topics: TopicManager,
    private readonly config: BrokerConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.topic = new InternalTopic(topics, config, clock, log, {
      name: SHARE_STATE_TOPIC,
      partitionsConfig: 'share.coordinator.state.topic.num.partitions',
      configs: (c) => ({
        'cleanup.policy': 'compact',
        'compression.type': 'producer',
        'segment.bytes': String(c.int('share.coordinator.state.topic.segment.bytes')),
      }),
      description: 'share coordinator',
    });
  }

  /** The state topic, created now if needed (FindCoordinator key type 2, a first write). */
  ensure(): void {
    this.topic.ensure();
  }

  changed(sp: SharePartition): void {
    if (!sp.initialised) return;
    this.write({
      groupId: sp.groupId,
      topicId: sp.topicId,
      partition: sp.partition,
      stateEpoch: sp.stateEpoch,
      leaderEpoch: sp.leaderEpoch,
      startOffset: sp.startOffset,
      batches: sp.stateBatches(),
    });
  }

  /** Append the state of one share partition: a snapshot when due, else an update. */
  write(s: StoredShareState): void {
    const ck = coordinatorKey(s.groupId, s.topicId, s.partition);
    const now = this.clock.now();
    let k = this.keys.get(ck);
    const perSnapshot = this.config.int('share.coordinator.snapshot.update.records.per.snapshot');
    const keyFields = { groupId: s.groupId, topicId: s.topicId, partition: s.partition };
    const stateBatches = s.batches.map((b) => ({ ...b }));
    if (!k || k.updatesSinceSnapshot >= perSnapshot) {
      k = { snapshotEpoch: k ? k.snapshotEpoch + 1 : 0, updatesSinceSnapshot: 0, createTimestamp: k?.createTimestamp ?? now };
      this.keys.set(ck, k);
      this.append(
        ck,
        encodeVersioned(ShareSnapshotKey, ShareRecordKeyVersion.SNAPSHOT, keyFields),
        encodeVersioned(ShareSnapshotValue, 0, {
          snapshotEpoch: k.snapshotEpoch,
          stateEpoch: s.stateEpoch,
          leaderEpoch: s.leaderEpoch,
          startOffset: s.startOffset,
          createTimestamp: k.createTimestamp,
          writeTimestamp: now,
          stateBatches,
          deliveryCompleteCount: -1,
        }),
      );
      return;
    }
    k.updatesSinceSnapshot++;
    this.append(
      ck,
      encodeVersioned(ShareUpdateKey, ShareRecordKeyVersion.UPDATE, keyFields),
      encodeVersioned(ShareUpdateValue, 0, {
        snapshotEpoch: k.snapshotEpoch,
        leaderEpoch: s.leaderEpoch,
        startOffset: s.startOffset,
        stateBatches,
        deliveryCompleteCount: -1,
      }),
    );
  }

  deleted(sp: SharePartition): void {
    this.delete(sp.groupId, sp.topicId, sp.partition);
  }

  /** Tombstones for both keys of a share partition. */
  delete(groupId: string, topicId: string, partition: number): void {
    const ck = coordinatorKey(groupId, topicId, partition);
    if (!this.keys.delete(ck)) return;
    const keyFields = { groupId, topicId, partition };
    this.topic.appendRecords(
      ck,
      [
        { key: encodeVersioned(ShareSnapshotKey, ShareRecordKeyVersion.SNAPSHOT, keyFields), value: null },
        { key: encodeVersioned(ShareUpdateKey, ShareRecordKeyVersion.UPDATE, keyFields), value: null },
      ],
      this.config.int('share.coordinator.state.topic.compression.codec'),
    );
  }

  private append(ck: string, key: Buffer, value: Buffer): void {
    this.topic.appendRecords(ck, [{ key, value }], this.config.int('share.coordinator.state.topic.compression.codec'));
  }

  /** Read the whole topic back: the latest state of every share partition not deleted. */
  replay(): StoredShareState[] {
    const states = new Map<string, StoredShareState>();
    this.keys.clear();
    this.topic.replayBatches(this.config.int('share.coordinator.load.buffer.size'), (p, batch, from) => {
      if (batch.header.isControl) return;
      for (const r of batch.records) {
        if (r.offset < from || r.key === null || r.key.length < 2) continue;
        try {
          const type = r.key.readInt16BE(0);
          if (type !== ShareRecordKeyVersion.SNAPSHOT && type !== ShareRecordKeyVersion.UPDATE) continue;
          const { value: key } = decodeVersioned(type === 0 ? ShareSnapshotKey : ShareUpdateKey, r.key);
          const ck = coordinatorKey(key.groupId, key.topicId, key.partition);
          if (r.value === null) {
            if (type === ShareRecordKeyVersion.SNAPSHOT) {
              states.delete(ck);
              this.keys.delete(ck);
            }
            continue;
          }
          if (type === ShareRecordKeyVersion.SNAPSHOT) {
            const { value: v } = decodeVersioned(ShareSnapshotValue, r.value, { newerAsLatest: true });
            states.set(ck, {
              ...key,
              stateEpoch: v.stateEpoch,
              leaderEpoch: v.leaderEpoch,
              startOffset: v.startOffset,
              batches: v.stateBatches.map((b) => ({ ...b })),
            });
            this.keys.set(ck, { snapshotEpoch: v.snapshotEpoch, updatesSinceSnapshot: 0, createTimestamp: v.createTimestamp });
          } else {
            const s = states.get(ck);
            const k = this.keys.get(ck);
            if (!s || !k) continue;
            const { value: v } = decodeVersioned(ShareUpdateValue, r.value, { newerAsLatest: true });
            s.startOffset = Math.max(s.startOffset, v.startOffset);
            s.leaderEpoch = v.leaderEpoch;
            s.batches = overlay(s.batches, v.stateBatches, s.startOffset);
            k.updatesSinceSnapshot++;
          }
        } catch (err) {
          this.log.warn({ err, partition: p.index, offset: r.offset }, `skipping an unreadable ${SHARE_STATE_TOPIC} record`);
        }
      }
    });
    return [...states.values()];
  }
}

/** Batches of `newer` win over `older` where they overlap; offsets below `start` are dropped. */
export function overlay(older: readonly StateBatch[], newer: readonly StateBatch[], start: number): StateBatch[] {
  const byOffset = new Map<number, { deliveryState: number; deliveryCount: number }>();
  for (const list of [older, newer]) {
    for (const b of list) {
      for (let o = Math.max(b.firstOffset, start); o <= b.lastOffset; o++) {
        byOffset.set(o, { deliveryState: b.deliveryState, deliveryCount: b.deliveryCount });
      }
    }
  }
  const out: StateBatch[] = [];
  for (const o of [...byOffset.keys()].sort((a, b) => a - b)) {
    const s = byOffset.get(o)!;
    const last = out[out.length - 1];
    if (last && last.lastOffset === o - 1 && last.deliveryState === s.deliveryState && last.deliveryCount === s.deliveryCount)
      last.lastOffset = o;
    else out.push({ firstOffset: o, lastOffset: o, ...s });
  }
  return out;
}
