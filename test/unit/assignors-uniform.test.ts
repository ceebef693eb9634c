// The server-side `uniform` assignor (broker/groups/assignors/uniform.ts): balance within one
// partition, stickiness when members come and go, heterogeneous subscriptions, determinism.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { uniformAssignor } from '../../broker/groups/assignors/uniform.js';
import type { AssignorMember } from '../../broker/groups/assignors/types.js';
import type { Assignment } from '../../broker/groups/consumer-group-records.js';

const member = (memberId: string, topics: string[], current: Record<string, number[]> = {}): AssignorMember => ({
  memberId,
  instanceId: null,
  subscribedTopicIds: new Set(topics),
  current: new Map(Object.entries(current).map(([t, ps]) => [t, new Set(ps)])),
});

const flat = (a: Assignment) => [...a].flatMap(([t, ps]) => [...ps].map((p) => `${t}:${p}`)).sort();
const count = (a: Assignment) => flat(a).length;

function allPartitionsOnce(out: Map<string, Assignment>, topics: Record<string, number>): void {
  const seen = [...out.values()].flatMap(flat).sort();
  const want = Object.entries(topics)
    .flatMap(([t, n]) => Array.from({ length: n }, (_, p) => `${t}:${p}`))
    .sort();
  assert.deepEqual(seen, want);
}

test('uniform: homogeneous members differ by at most one partition, every partition once', () => {
  const topics = { A: 7, B: 3 };
  for (const n of [1, 2, 3, 4, 11]) {
    const members = Array.from({ length: n }, (_, i) => member(`m${i}`, ['A', 'B']));
    const out = uniformAssignor.assign({ members, topics: new Map(Object.entries(topics)) });
    allPartitionsOnce(out, topics);
    const counts = [...out.values()].map(count);
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `${n} members: ${counts}`);
  }
});

test('uniform: a new member takes partitions only from the others, the rest stays put', () => {
  const topics = new Map([['A', 6]]);
  const first = uniformAssignor.assign({ members: [member('a', ['A']), member('b', ['A'])], topics });
  assert.equal(count(first.get('a')!), 3);
  const prev = (id: string) => Object.fromEntries([...first.get(id)!].map(([t, ps]) => [t, [...ps]]));
  const second = uniformAssignor.assign({
    members: [member('a', ['A'], prev('a')), member('b', ['A'], prev('b')), member('c', ['A'])],
    topics,
  });
  for (const id of ['a', 'b']) {
    assert.equal(count(second.get(id)!), 2);
    for (const tp of flat(second.get(id)!)) assert.ok(flat(first.get(id)!).includes(tp), `${id} kept ${tp}`);
  }
  assert.equal(count(second.get('c')!), 2);
  allPartitionsOnce(second, { A: 6 });
});

test('uniform: when a member leaves only its partitions move', () => {
  const topics = new Map([['A', 6]]);
  const out = uniformAssignor.assign({ members: [member('a', ['A'], { A: [0, 1] }), member('b', ['A'], { A: [2, 3] })], topics });
  assert.deepEqual(flat(out.get('a')!).slice(0, 2), ['A:0', 'A:1']);
  assert.ok(flat(out.get('b')!).includes('A:2') && flat(out.get('b')!).includes('A:3'));
  assert.equal(count(out.get('a')!), 3);
  assert.equal(count(out.get('b')!), 3);
});

test('uniform: heterogeneous subscriptions only get subscribed topics and stay balanced where possible', () => {
  const topics = new Map([
    ['A', 4],
    ['B', 4],
  ]);
  const out = uniformAssignor.assign({ members: [member('x', ['A']), member('y', ['A', 'B']), member('z', ['B'])], topics });
  allPartitionsOnce(out, { A: 4, B: 4 });
  assert.ok(flat(out.get('x')!).every((tp) => tp.startsWith('A:')));
  assert.ok(flat(out.get('z')!).every((tp) => tp.startsWith('B:')));
  const counts = ['x', 'y', 'z'].map((id) => count(out.get(id)!));
  assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, String(counts));
});

test('uniform: deterministic, members without topics get nothing, stale partitions are dropped', () => {
  const topics = new Map([['A', 2]]);
  const members = [member('a', ['A'], { A: [5], gone: [0] }), member('b', ['nope'])];
  const one = uniformAssignor.assign({ members, topics });
  const two = uniformAssignor.assign({ members, topics });
  assert.deepEqual(
    [...one].map(([id, a]) => [id, flat(a)]),
    [...two].map(([id, a]) => [id, flat(a)]),
  );
  assert.deepEqual(flat(one.get('a')!), ['A:0', 'A:1']);
  assert.deepEqual(flat(one.get('b')!), []);
  assert.deepEqual(uniformAssignor.assign({ members: [], topics }).size, 0);
});
