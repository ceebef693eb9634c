// The server-side `range` assignor (broker/groups/assignors/range.ts): contiguous ranges per
// topic, the first members get the extra partitions, co-partitioned topics line up, only
// subscribers of a topic share it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rangeAssignor } from '../../broker/groups/assignors/range.js';
import type { AssignorMember } from '../../broker/groups/assignors/types.js';
import type { Assignment } from '../../broker/groups/consumer-group-records.js';

const member = (memberId: string, topics: string[], instanceId: string | null = null): AssignorMember => ({
  memberId,
  instanceId,
  subscribedTopicIds: new Set(topics),
  current: new Map(),
});
const of = (a: Assignment, t: string) => [...(a.get(t) ?? [])].sort((x, y) => x - y);

test('range: contiguous ranges per topic, extra partitions to the first members', () => {
  const out = rangeAssignor.assign({
    members: [member('b', ['A', 'B']), member('a', ['A', 'B']), member('c', ['A', 'B'])],
    topics: new Map([
      ['A', 7],
      ['B', 3],
    ]),
  });
  assert.deepEqual(of(out.get('a')!, 'A'), [0, 1, 2]);
  assert.deepEqual(of(out.get('b')!, 'A'), [3, 4]);
  assert.deepEqual(of(out.get('c')!, 'A'), [5, 6]);
  // Co-partitioned: the same member gets the same partition numbers of B.
  assert.deepEqual(of(out.get('a')!, 'B'), [0]);
  assert.deepEqual(of(out.get('b')!, 'B'), [1]);
  assert.deepEqual(of(out.get('c')!, 'B'), [2]);
});

test('range: per topic only its subscribers share it; static members sort by instance id', () => {
  const out = rangeAssignor.assign({
    members: [member('m1', ['A'], 'z'), member('m2', ['A', 'B'], 'a'), member('m3', ['B'])],
    topics: new Map([
      ['A', 4],
      ['B', 2],
    ]),
  });
  assert.deepEqual(of(out.get('m2')!, 'A'), [0, 1]);
  assert.deepEqual(of(out.get('m1')!, 'A'), [2, 3]);
  assert.deepEqual(of(out.get('m1')!, 'B'), []);
  assert.deepEqual(of(out.get('m2')!, 'B'), [0]);
  assert.deepEqual(of(out.get('m3')!, 'B'), [1]);
});

test('range: more members than partitions leaves the last ones empty', () => {
  const out = rangeAssignor.assign({ members: ['a', 'b', 'c'].map((id) => member(id, ['A'])), topics: new Map([['A', 2]]) });
  assert.deepEqual(of(out.get('a')!, 'A'), [0]);
  assert.deepEqual(of(out.get('b')!, 'A'), [1]);
  assert.deepEqual(of(out.get('c')!, 'A'), []);
});
