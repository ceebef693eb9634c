// AlterShareGroupOffsets (broker/handlers/91-alter-share-group-offsets.ts) as the group side sees
// it: Kafka's GroupMetadataManager.alterShareGroupOffsets gets or creates the share group
// (getOrMaybeCreateShareGroup), so `kafka-share-groups --reset-offsets` on a new group id leaves
// an Empty share group behind, and the altered share-partitions become initialized with the group
// epoch and the (empty) target assignment epoch moved on, as Kafka 4.4 answers afterwards
// (test/oracle/scenarios/share-state.ts, share-fetch/offsets-alter-new-group).

import { ErrorCode } from '../../../protocol/errors.js';
import type { ShareContext } from './heartbeat.js';
import type { ShareGroupRecord, StateTopic } from './records.js';
import { ShareGroup } from './share-group.js';

/** Records that `topics`' partitions of `groupId` have share state now; creates the group when it is unknown. */
export function shareOffsetsAltered(ctx: ShareContext, groupId: string, topics: readonly StateTopic[]): void {
  const existing = ctx.group(groupId);
  if (existing && !(existing instanceof ShareGroup)) return;
  const group = existing ?? new ShareGroup(groupId, ctx.clock);
  const state = group.statePartitions;
  const merged = new Map<string, StateTopic>(state.initialized.map((t) => [t.topicId, { ...t, partitions: [...t.partitions] }]));
  let added = false;
  for (const t of topics) {
    const had = merged.get(t.topicId)?.partitions ?? [];
    const partitions = [...new Set([...had, ...t.partitions])].sort((x, y) => x - y);
    if (partitions.length !== had.length) added = true;
    merged.set(t.topicId, { ...t, partitions });
  }
  if (!added && existing) return;
  // A new ShareGroup starts at epoch 1 (Kafka: 0, bumped to 1 by this alteration).
  const epoch = existing ? group.groupEpoch + 1 : group.groupEpoch;
  const records: ShareGroupRecord[] = [
    {
      kind: 'share-state',
      group: groupId,
      value: { initializing: state.initializing, initialized: [...merged.values()], deleting: state.deleting },
    },
    { kind: 'share-epoch', group: groupId, value: { epoch, metadataHash: group.metadataHash } },
  ];
  if (group.members.size === 0) records.push({ kind: 'share-target-epoch', group: groupId, value: epoch });
  if (ctx.write(groupId, records) !== ErrorCode.NONE) return;
  if (!existing) ctx.addGroup(group);
  for (const r of records) group.replay(r);
}
