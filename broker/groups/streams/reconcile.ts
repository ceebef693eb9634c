// Reconciliation of a streams member's tasks, Kafka's streams CurrentAssignmentBuilder: a member
// moves toward its target tasks one step at a time. Tasks it must give up (active, standby or
// warm-up) are revoked first: it stays at its epoch, UNREVOKED_TASKS, until a heartbeat shows it
// no longer runs them. An active task another member still runs is held back (UNRELEASED_TASKS)
// and handed over on a later heartbeat; standby and warm-up tasks are not exclusive. Otherwise the
// member is STABLE at the target epoch. The same steps as consumer-group-member.ts's reconcile,
// over three task types.

import { isSubset, sameAssignment } from '../consumer-group-member.js';
import { emptyTasks, StreamsMemberState, type StreamsCurrentAssignment, type TasksTuple } from './records.js';

const TYPES = ['active', 'standby', 'warmup'] as const;

export function tuplesSubset(sub: TasksTuple, sup: TasksTuple): boolean {
  return TYPES.every((k) => isSubset(sub[k], sup[k]));
}

export function sameTuple(a: TasksTuple, b: TasksTuple): boolean {
  return TYPES.every((k) => sameAssignment(a[k], b[k]));
}

export function sameCurrent(a: StreamsCurrentAssignment, b: StreamsCurrentAssignment): boolean {
  return (
    a.memberEpoch === b.memberEpoch &&
    a.previousMemberEpoch === b.previousMemberEpoch &&
    a.state === b.state &&
    sameTuple(a.assigned, b.assigned) &&
    sameTuple(a.pendingRevocation, b.pendingRevocation)
  );
}

function ownsAny(owned: TasksTuple | null, revoked: TasksTuple): boolean {
  if (owned === null) return true;
  return TYPES.some((k) => {
    for (const [sub, ps] of revoked[k]) for (const p of ps) if (owned[k].get(sub)?.has(p)) return true;
    return false;
  });
}

export function reconcile(
  cur: StreamsCurrentAssignment,
  target: TasksTuple,
  targetEpoch: number,
  owned: TasksTuple | null,
  isFree: (sub: string, p: number) => boolean,
): StreamsCurrentAssignment {
  switch (cur.state) {
    case StreamsMemberState.STABLE:
      return cur.memberEpoch !== targetEpoch ? nextAssignment(cur, target, targetEpoch, owned, isFree) : cur;
    case StreamsMemberState.UNREVOKED_TASKS:
      return owned !== null && !ownsAny(owned, cur.pendingRevocation) ? nextAssignment(cur, target, targetEpoch, owned, isFree) : cur;
    default:
      return nextAssignment(cur, target, targetEpoch, owned, isFree);
  }
}

function nextAssignment(
  cur: StreamsCurrentAssignment,
  target: TasksTuple,
  targetEpoch: number,
  owned: TasksTuple | null,
  isFree: (sub: string, p: number) => boolean,
): StreamsCurrentAssignment {
  const assigned = emptyTasks();
  const revoke = emptyTasks();
  const pending = emptyTasks();
  let unreleased = false;
  for (const k of TYPES) {
    for (const sub of new Set([...target[k].keys(), ...cur.assigned[k].keys()])) {
      const want = target[k].get(sub) ?? new Set<number>();
      const have = cur.assigned[k].get(sub) ?? new Set<number>();
      const keep = new Set([...have].filter((p) => want.has(p)));
      const gone = new Set([...have].filter((p) => !want.has(p)));
      const add = new Set<number>();
      for (const p of want) {
        if (keep.has(p)) continue;
        if (k !== 'active' || isFree(sub, p)) add.add(p);
        else unreleased = true;
      }
      if (keep.size > 0) assigned[k].set(sub, keep);
      if (gone.size > 0) revoke[k].set(sub, gone);
      if (add.size > 0) pending[k].set(sub, add);
    }
  }
  if (TYPES.some((k) => revoke[k].size > 0) && ownsAny(owned, revoke)) {
    return {
      memberEpoch: cur.memberEpoch,
      previousMemberEpoch: cur.memberEpoch,
      state: StreamsMemberState.UNREVOKED_TASKS,
      assigned,
      pendingRevocation: revoke,
    };
  }
  for (const k of TYPES) {
    for (const [sub, s] of pending[k]) {
      const into = assigned[k].get(sub);
      if (into) for (const p of s) into.add(p);
      else assigned[k].set(sub, s);
    }
  }
  return {
    memberEpoch: targetEpoch,
    previousMemberEpoch: cur.memberEpoch,
    state: unreleased ? StreamsMemberState.UNRELEASED_TASKS : StreamsMemberState.STABLE,
    assigned,
    pendingRevocation: emptyTasks(),
  };
}
