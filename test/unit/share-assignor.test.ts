// The share group assignor (broker/groups/share/assignor.ts, Kafka's SimpleAssignor rules):
// at least as many partitions as members: each partition to exactly one member, counts within
// one; fewer partitions than members: each member exactly one partition, every partition read;
// stickiness within the quotas; members with different subscriptions assigned topic by topic.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Assignment } from '../../broker/groups/consumer-group-records.js';
import { assignShare } from '../../broker/groups/share/assignor.js';

const member = (memberId: string, topics: string[], current: Assignment = new Map()) => ({
  memberId,
  instanceId: null,
  subscribedTopicIds: new Set(topics),
  current,
});
const flat = (a: Assignment | undefined) => [...(a ?? new Map())].flatMap(([t, ps]) => [...ps].map((p) => `${t}-${p}`)).sort();

test('more partitions than members: every partition once, counts within one', () => {
  const out = assignShare({ topics: new Map([['T', 7]]), members: ['a', 'b', 'c'].map((id) => member(id, ['T'])) });
  const all = ['a', 'b', 'c'].flatMap((id) => flat(out.get(id)));
  assert.deepEqual(all.sort(), [...Array(7).keys()].map((p) => `T-${p}`).sort());
  const counts = ['a', 'b', 'c'].map((id) => flat(out.get(id)).length).sort();
  assert.deepEqual(counts, [2, 2, 3]);
});

test('fewer partitions than members: one partition each, every partition read, sharing within one', () => {
  const ids = ['a', 'b', 'c', 'd', 'e'];
  const out = assignShare({ topics: new Map([['T', 2]]), members: ids.map((id) => member(id, ['T'])) });
  for (const id of ids) assert.equal(flat(out.get(id)).length, 1, id);
  const readers = (p: number) => ids.filter((id) => flat(out.get(id)).includes(`T-${p}`)).length;
  assert.deepEqual([readers(0), readers(1)].sort(), [2, 3]);
});

test('sticky: a member keeps what it had within its quota', () => {
  const had = new Map([['T', new Set([0, 1, 2, 3])]]);
  const out = assignShare({ topics: new Map([['T', 4]]), members: [member('a', ['T'], had), member('b', ['T'])] });
  assert.equal(flat(out.get('a')).length, 2);
  for (const p of flat(out.get('a'))) assert.ok(['T-0', 'T-1', 'T-2', 'T-3'].includes(p));
  assert.deepEqual([...flat(out.get('a')), ...flat(out.get('b'))].sort(), ['T-0', 'T-1', 'T-2', 'T-3']);
});

test('different subscriptions: each topic among its subscribers; no subscription, nothing', () => {
  const out = assignShare({
    topics: new Map([
      ['T', 2],
      ['U', 1],
    ]),
    members: [member('a', ['T']), member('b', ['T', 'U']), member('c', [])],
  });
  assert.deepEqual(flat(out.get('c')), []);
  assert.ok(flat(out.get('b')).includes('U-0'));
  assert.deepEqual([...flat(out.get('a')), ...flat(out.get('b'))].filter((p) => p.startsWith('T')).sort(), ['T-0', 'T-1']);
  assert.equal(flat(out.get('a')).length, 1);
});
