// The server-side task assignor of streams groups, after Kafka's StickyTaskAssignor
// (group.streams.assignors = sticky): every task of every subtopology goes to exactly one member
// as an active task; members keep the active tasks they had while they stay within a balanced
// share (ceil(tasks / members)), the rest go to the least loaded members. Then each task gets
// `numStandbyReplicas` standby copies on members of other processes (never the process running
// it actively), sticky as well. Warm-up tasks are not assigned: kafkalite has no task lags to
// tell a caught-up member from one that needs warming up.

import { emptyTasks, type Tasks, type TasksTuple } from './records.js';

export const STICKY_ASSIGNOR = 'sticky';

export interface AssignorMember {
  memberId: string;
  processId: string;
  /** The member's previous target assignment. */
  previous: TasksTuple;
}

function add(t: Tasks, sub: string, p: number): void {
  let s = t.get(sub);
  if (!s) {
    s = new Set();
    t.set(sub, s);
  }
  s.add(p);
}

const has = (t: Tasks, sub: string, p: number) => t.get(sub)?.has(p) ?? false;
const count = (t: Tasks) => [...t.values()].reduce((n, s) => n + s.size, 0);

/** Member id -> its new target assignment. */
export function assignTasks(
  tasks: ReadonlyMap<string, number>,
  members: readonly AssignorMember[],
  numStandbyReplicas: number,
): Map<string, TasksTuple> {
  const out = new Map<string, TasksTuple>();
  const sorted = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  for (const m of sorted) out.set(m.memberId, emptyTasks());
  if (sorted.length === 0) return out;
  const all: Array<[string, number]> = [];
  for (const sub of [...tasks.keys()].sort()) for (let p = 0; p < tasks.get(sub)!; p++) all.push([sub, p]);

  // Active tasks: sticky within a balanced share, then to the least loaded member.
  const capacity = Math.ceil(all.length / sorted.length);
  const activeOwner = new Map<string, AssignorMember>();
  const unassigned: Array<[string, number]> = [];
  for (const [sub, p] of all) {
    const prev = sorted.find((m) => has(m.previous.active, sub, p));
    if (prev && count(out.get(prev.memberId)!.active) < capacity) {
      add(out.get(prev.memberId)!.active, sub, p);
      activeOwner.set(`${sub}:${p}`, prev);
    } else unassigned.push([sub, p]);
  }
  for (const [sub, p] of unassigned) {
    let best = sorted[0]!;
    for (const m of sorted) if (count(out.get(m.memberId)!.active) < count(out.get(best.memberId)!.active)) best = m;
    add(out.get(best.memberId)!.active, sub, p);
    activeOwner.set(`${sub}:${p}`, best);
  }

  // Standby tasks: on other processes, sticky, then the least loaded.
  if (numStandbyReplicas > 0) {
    const load = (m: AssignorMember) => count(out.get(m.memberId)!.active) + count(out.get(m.memberId)!.standby);
    for (const [sub, p] of all) {
      const active = activeOwner.get(`${sub}:${p}`)!;
      const processes = new Set([active.processId]);
      for (let r = 0; r < numStandbyReplicas; r++) {
        const candidates = sorted.filter((m) => !processes.has(m.processId));
        if (candidates.length === 0) break;
        let pick = candidates.find((m) => has(m.previous.standby, sub, p));
        if (!pick) {
          pick = candidates[0]!;
          for (const m of candidates) if (load(m) < load(pick)) pick = m;
        }
        add(out.get(pick.memberId)!.standby, sub, p);
        processes.add(pick.processId);
      }
    }
  }
  return out;
}
