// The share group assignor, Kafka's SimpleAssignor ("simple", KIP-932; the builders
// SimpleHomogeneousAssignmentBuilder and SimpleHeterogeneousAssignmentBuilder of Kafka 4.4's
// group coordinator). Share groups let several members read one partition, so the rules differ
// from a consumer group's:
// - at least as many partitions as members: every partition goes to exactly one member, the
//   members' counts differ by at most one;
// - fewer partitions than members: every member gets exactly one partition, the partitions'
//   member counts differ by at most one (so every partition is read).
// Balance first, then stickiness: a member keeps what it had while that stays within its quota.
// Members with different subscriptions are assigned topic by topic among the topic's subscribers.
// Pure and deterministic (members sorted by id, partitions by topic id then number).

import type { Assignment } from '../consumer-group-records.js';
import { addPartition, byId, type AssignorInput } from '../assignors/types.js';

export const SHARE_ASSIGNOR_NAME = 'simple';

export function assignShare(input: AssignorInput): Map<string, Assignment> {
  const out = new Map<string, Assignment>(input.members.map((m) => [m.memberId, new Map()]));
  const members = [...input.members].filter((m) => m.subscribedTopicIds.size > 0).sort((a, b) => byId(a.memberId, b.memberId));
  if (members.length === 0) return out;
  const first = members[0]!.subscribedTopicIds;
  const homogeneous =
    members.length === input.members.length &&
    members.every((m) => m.subscribedTopicIds.size === first.size && [...first].every((t) => m.subscribedTopicIds.has(t)));
  const groups: Array<{ topics: string[]; members: typeof members }> = [];
  if (homogeneous) {
    groups.push({ topics: [...first].filter((t) => input.topics.has(t)).sort(byId), members });
  } else {
    for (const t of [...input.topics.keys()].sort(byId)) {
      const subs = members.filter((m) => m.subscribedTopicIds.has(t));
      if (subs.length > 0) groups.push({ topics: [t], members: subs });
    }
  }
  for (const g of groups) {
    const partitions: Array<[string, number]> = [];
    for (const t of g.topics) for (let p = 0; p < (input.topics.get(t) ?? 0); p++) partitions.push([t, p]);
    if (partitions.length === 0) continue;
    const ids = g.members.map((m) => m.memberId);
    const had = (id: string, [t, p]: [string, number]) =>
      g.members
        .find((m) => m.memberId === id)!
        .current.get(t)
        ?.has(p) ?? false;
    if (partitions.length >= ids.length) spread(partitions, ids, had, (id, tp) => addPartition(out.get(id)!, tp[0], tp[1]));
    else
      spread(
        ids,
        partitions,
        (tp, id) => had(id, tp),
        (tp, id) => addPartition(out.get(id)!, tp[0], tp[1]),
      );
  }
  return out;
}

/**
 * Give each item of `items` to exactly one owner of `owners` (items.length >= owners.length),
 * the owners' counts balanced (the first `items % owners` owners may take one more), an item
 * staying with an owner that had it while that owner is under its quota.
 */
function spread<I, O>(
  items: readonly I[],
  owners: readonly O[],
  had: (owner: O, item: I) => boolean,
  give: (owner: O, item: I) => void,
): void {
  const base = Math.floor(items.length / owners.length);
  let extra = items.length % owners.length;
  const quota = new Map<O, number>(owners.map((o) => [o, base]));
  const count = new Map<O, number>(owners.map((o) => [o, 0]));
  const left: I[] = [];
  // Sticky pass: an owner keeps an item it had, within base + one extra while extras remain.
  for (const item of items) {
    const owner = owners.find((o) => had(o, item) && count.get(o)! < quota.get(o)! + (count.get(o)! >= base && extra > 0 ? 1 : 0));
    if (owner === undefined) {
      left.push(item);
      continue;
    }
    if (count.get(owner)! >= base) {
      extra--;
      quota.set(owner, base + 1);
    }
    count.set(owner, count.get(owner)! + 1);
    give(owner, item);
  }
  for (const item of left) {
    let owner = owners.find((o) => count.get(o)! < quota.get(o)!);
    if (owner === undefined) {
      owner = owners.find((o) => quota.get(o) === base)!;
      extra--;
      quota.set(owner, base + 1);
    }
    count.set(owner, count.get(owner)! + 1);
    give(owner, item);
  }
}
