// The server-side `uniform` assignor (Kafka's UniformAssignor, the KIP-848 default): spreads
// every subscribed partition as evenly as the subscriptions allow while moving as few as
// possible. Three steps, all deterministic:
//   1. stickiness: each member keeps the partitions of its previous target that still exist
//      and that it still subscribes to, up to its fair share (homogeneous groups: the first
//      `partitions % members` members by id may keep one more);
//   2. every unassigned partition goes to the least-loaded member subscribed to its topic;
//   3. balance: while a member has at least two partitions more than another member that
//      could take one of them, one partition moves (the donor's highest).

import type { Assignment } from '../consumer-group-records.js';
import { addPartition, byId, type Assignor, type AssignorInput, type AssignorMember } from './types.js';

interface Slot {
  m: AssignorMember;
  a: Assignment;
  n: number;
}

function leastLoaded(slots: Slot[], topicId: string): Slot | undefined {
  let best: Slot | undefined;
  for (const s of slots) if (s.m.subscribedTopicIds.has(topicId) && (!best || s.n < best.n)) best = s;
  return best;
}

export const uniformAssignor: Assignor = {
  name: 'uniform',
  assign(input: AssignorInput): Map<string, Assignment> {
    const slots: Slot[] = [...input.members].sort((a, b) => byId(a.memberId, b.memberId)).map((m) => ({ m, a: new Map(), n: 0 }));
    const total = [...input.topics.values()].reduce((x, y) => x + y, 0);
    const ids = [...input.topics.keys()].sort(byId);
    const owner = new Map<string, Slot>();
    const key = (t: string, p: number) => `${t}:${p}`;

    // 1. Keep previous partitions up to a fair share.
    const homogeneous = slots.every((s) => ids.every((t) => s.m.subscribedTopicIds.has(t)));
    const min = slots.length === 0 ? 0 : Math.floor(total / slots.length);
    let extras = slots.length === 0 ? 0 : total % slots.length;
    for (const s of slots) {
      const kept: Array<[string, number]> = [];
      for (const t of [...s.m.current.keys()].sort(byId)) {
        const n = input.topics.get(t);
        if (n === undefined || !s.m.subscribedTopicIds.has(t)) continue;
        for (const p of [...s.m.current.get(t)!].sort((x, y) => x - y)) if (p < n && !owner.has(key(t, p))) kept.push([t, p]);
      }
      let quota = homogeneous ? min : kept.length;
      if (homogeneous && kept.length > min && extras > 0) {
        quota++;
        extras--;
      }
      for (const [t, p] of kept.slice(0, quota)) {
        addPartition(s.a, t, p);
        owner.set(key(t, p), s);
        s.n++;
      }
    }
    // 2. Unassigned partitions to the least-loaded subscriber.
    for (const t of ids) {
      for (let p = 0; p < input.topics.get(t)!; p++) {
        if (owner.has(key(t, p))) continue;
        const s = leastLoaded(slots, t);
        if (!s) continue;
        addPartition(s.a, t, p);
        owner.set(key(t, p), s);
        s.n++;
      }
    }
    // 3. Balance.
    for (let moved = true; moved; ) {
      moved = false;
      const byLoad = [...slots].sort((x, y) => y.n - x.n || byId(x.m.memberId, y.m.memberId));
      outer: for (const donor of byLoad) {
        for (const t of [...donor.a.keys()].sort(byId).reverse()) {
          const taker = leastLoaded(slots, t);
          if (!taker || taker.n + 1 >= donor.n) continue;
          const ps = donor.a.get(t)!;
          const p = Math.max(...ps);
          ps.delete(p);
          if (ps.size === 0) donor.a.delete(t);
          donor.n--;
          addPartition(taker.a, t, p);
          taker.n++;
          moved = true;
          break outer;
        }
      }
    }
    return new Map(slots.map((s) => [s.m.memberId, s.a]));
  },
};
