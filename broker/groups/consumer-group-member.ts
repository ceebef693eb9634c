// One member of a KIP-848 consumer group and its reconciliation, Kafka's
// ConsumerGroupMember and CurrentAssignmentBuilder. A member moves toward its target
// assignment one step at a time: partitions it must give up are revoked first (it stays at its
// epoch, UNREVOKED_PARTITIONS, until a heartbeat shows it no longer owns them); partitions
// still owned by another member are held back (UNRELEASED_PARTITIONS) and handed over on a
// later heartbeat once released; otherwise it is STABLE at the target epoch.

import { MemberState, type Assignment, type CurrentAssignment, type MemberMetadata } from './consumer-group-records.js';

export class ConsumerMember {
  constructor(
    readonly memberId: string,
    public meta: MemberMetadata,
    public current: CurrentAssignment = emptyCurrent(),
  ) {}
}

export function emptyCurrent(): CurrentAssignment {
  return { memberEpoch: 0, previousMemberEpoch: 0, state: MemberState.STABLE, assigned: new Map(), pendingRevocation: new Map() };
}

export function sameAssignment(a: Assignment, b: Assignment): boolean {
  const nonEmpty = (x: Assignment) => [...x].filter(([, s]) => s.size > 0);
  const ea = nonEmpty(a);
  if (ea.length !== nonEmpty(b).length) return false;
  for (const [t, s] of ea) {
    const o = b.get(t);
    if (!o || o.size !== s.size) return false;
    for (const p of s) if (!o.has(p)) return false;
  }
  return true;
}

export function sameCurrent(a: CurrentAssignment, b: CurrentAssignment): boolean {
  return (
    a.memberEpoch === b.memberEpoch &&
    a.previousMemberEpoch === b.previousMemberEpoch &&
    a.state === b.state &&
    sameAssignment(a.assigned, b.assigned) &&
    sameAssignment(a.pendingRevocation, b.pendingRevocation)
  );
}

/** Every partition of `sub` is in `sup`. */
export function isSubset(sub: Assignment, sup: Assignment): boolean {
  for (const [t, s] of sub) for (const p of s) if (!sup.get(t)?.has(p)) return false;
  return true;
}

function ownsAny(owned: Assignment | null, revoked: Assignment): boolean {
  if (owned === null) return true;
  for (const [t, s] of revoked) for (const p of s) if (owned.get(t)?.has(p)) return true;
  return false;
}

/**
 * The member's next current assignment. `owned` is what the heartbeat reported (null: not
 * sent); `isFree(topicId, p)` says whether no other member holds the partition.
 */
export function reconcile(
  cur: CurrentAssignment,
  target: Assignment,
  targetEpoch: number,
  owned: Assignment | null,
  isFree: (topicId: string, partition: number) => boolean,
): CurrentAssignment {
  switch (cur.state) {
    case MemberState.STABLE:
      return cur.memberEpoch !== targetEpoch ? next(cur, target, targetEpoch, owned, isFree) : cur;
    case MemberState.UNREVOKED_PARTITIONS:
      return owned !== null && !ownsAny(owned, cur.pendingRevocation) ? next(cur, target, targetEpoch, owned, isFree) : cur;
    default:
      return next(cur, target, targetEpoch, owned, isFree);
  }
}

function next(
  cur: CurrentAssignment,
  target: Assignment,
  targetEpoch: number,
  owned: Assignment | null,
  isFree: (t: string, p: number) => boolean,
): CurrentAssignment {
  const assigned: Assignment = new Map();
  const revoke: Assignment = new Map();
  const pending: Assignment = new Map();
  let unreleased = false;
  for (const topicId of new Set([...target.keys(), ...cur.assigned.keys()])) {
    const want = target.get(topicId) ?? new Set<number>();
    const have = cur.assigned.get(topicId) ?? new Set<number>();
    const keep = new Set([...have].filter((p) => want.has(p)));
    const gone = new Set([...have].filter((p) => !want.has(p)));
    const add = new Set<number>();
    for (const p of want) {
      if (keep.has(p)) continue;
      if (isFree(topicId, p)) add.add(p);
      else unreleased = true;
    }
    if (keep.size > 0) assigned.set(topicId, keep);
    if (gone.size > 0) revoke.set(topicId, gone);
    if (add.size > 0) pending.set(topicId, add);
  }
  if (revoke.size > 0 && ownsAny(owned, revoke)) {
    return {
      memberEpoch: cur.memberEpoch,
      previousMemberEpoch: cur.memberEpoch,
      state: MemberState.UNREVOKED_PARTITIONS,
      assigned,
      pendingRevocation: revoke,
    };
  }
  for (const [t, s] of pending) {
    const into = assigned.get(t);
    if (into) for (const p of s) into.add(p);
    else assigned.set(t, s);
  }
  return {
    memberEpoch: targetEpoch,
    previousMemberEpoch: cur.memberEpoch,
    state: unreleased ? MemberState.UNRELEASED_PARTITIONS : MemberState.STABLE,
    assigned,
    pendingRevocation: new Map(),
  };
}

const compiled = new Map<string, RegExp | Error>();

/**
 * RE2/J's PatternSyntaxException descriptions for the parse errors clients meet, keyed by what
 * JavaScript's RegExp says; Kafka puts them in its INVALID_REGULAR_EXPRESSION message.
 */
const RE2J_WORDS: ReadonlyArray<[RegExp, string]> = [
  [/Unterminated group/, 'missing closing )'],
  [/Unmatched '\)'/, 'unexpected )'],
  [/Unterminated character class|Lone quantifier brackets/, 'missing closing ]'],
  [/Nothing to repeat/, 'missing argument to repetition operator'],
  [/\\ at end of pattern/, 'trailing backslash at end of expression'],
  [/numbers out of order in \{\} quantifier|Incomplete quantifier/, 'invalid repeat count'],
  [/Range out of order in character class/, 'invalid character class range'],
  [/Invalid capture group name|Duplicate capture group name/, 'invalid named capture'],
  [/Invalid escape|Invalid Unicode escape/, 'invalid escape sequence'],
];
/** Perl syntax RE2 refuses, which JavaScript would take: lookaround, atomic groups, possessive quantifiers. */
const UNSUPPORTED_PERL = /\(\?(?:[=!>]|<[=!])|[*+?}]\+/;
/** Backreferences (\1 ... \9, \k<name>): RE2's "invalid escape sequence". */
const BACKREFERENCE = /\\(?:[1-9]|k<)/;

/**
 * A member's subscribed_topic_regex (KIP-848) as a full match over topic names, as Kafka's
 * RE2/J `matches()`; an Error (with RE2/J's description) when it does not compile. RE2's quoting
 * `\Q...\E` (Java's Pattern.quote) becomes escaped text; the rest is read as a JavaScript regex,
 * which reads RE2 syntax the same for what topic patterns use.
 */
export function topicRegex(source: string): RegExp | Error {
  let re = compiled.get(source);
  if (re === undefined) {
    const unquoted = source.replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_, text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
    try {
      if (UNSUPPORTED_PERL.test(unquoted)) throw new Error('invalid or unsupported Perl syntax');
      if (BACKREFERENCE.test(unquoted)) throw new Error('Invalid escape');
      re = new RegExp(`^(?:${unquoted})$`, 'u');
    } catch (e) {
      const text = (e as Error).message;
      re = new Error(RE2J_WORDS.find(([words]) => words.test(text))?.[1] ?? text);
    }
    if (compiled.size >= 1000) compiled.clear();
    compiled.set(source, re);
  }
  return re;
}

/** Whether a regex subscription takes this topic (internal topics never). */
export function matchesRegex(source: string | null, topic: string): boolean {
  if (source === null || topic.startsWith('__')) return false;
  const re = topicRegex(source);
  return re instanceof RegExp && re.test(topic);
}
