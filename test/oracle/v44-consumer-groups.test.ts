// KIP-848 as Kafka 4.4 serves it, next to Apache Kafka 4.4.0: ConsumerGroupHeartbeat v1
// (client-generated member ids, KIP-1082; SubscribedTopicRegex with RE2/J semantics, resolved
// by the broker) and ConsumerGroupDescribe v1 (memberType, KIP-1099), compared field by field
// after test/oracle/v44-pair.ts's normalisation.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { ConsumerGroupDescribe, ConsumerGroupHeartbeat, DeleteGroups, FindCoordinator, Produce } from '../../protocol/messages/index.js';
import type { WireClient } from '../integration/wire-client.js';
import { JAVA_PROGRAMS, javaOk } from '../jvm/kafka.js';
import { batch, createTopic, normalise, startPair, type Pair, type Side } from './v44-pair.js';

const T = { timeout: 60_000 };

let pair: Pair;
before(async () => {
  pair = await startPair();
  for (const side of [pair.kafka, pair.kafkalite]) {
    await createTopic(side, 're-orders', 2);
    await createTopic(side, 're-payments', 1);
    await createTopic(side, 'other', 1);
  }
});
after(async () => pair?.stop());

async function same(what: string, fn: (side: Side) => Promise<unknown>): Promise<unknown> {
  const [theirs, ours] = await Promise.all([fn(pair.kafka), fn(pair.kafkalite)]);
  const [k, o] = [normalise(pair.kafka, theirs), normalise(pair.kafkalite, ours)];
  if (process.env.V44_DUMP) console.log(what, JSON.stringify({ kafka: k, kafkalite: o }, null, 1));
  assert.deepEqual(o, k, what);
  return o;
}

/** A client connected to the group's coordinator once it answers (Kafka creates `__consumer_offsets` on first use). */
async function coordinator(side: Side, groupId: string): Promise<WireClient> {
  const c = await side.client();
  for (let i = 0; i < 200; i++) {
    const res = await c.send(FindCoordinator, 4, { keyType: 0, coordinatorKeys: [groupId] });
    if (res.coordinators[0]!.errorCode === 0) {
      const d = await c.send(ConsumerGroupDescribe, 1, { groupIds: [groupId], includeAuthorizedOperations: false });
      if (d.groups[0]!.errorCode === 0 || d.groups[0]!.errorCode === 69) return c;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${side.name}: no coordinator for ${groupId}`);
}

const JOIN = {
  memberEpoch: 0,
  instanceId: null,
  rackId: null,
  rebalanceTimeoutMs: 30_000,
  subscribedTopicNames: null,
  subscribedTopicRegex: null,
  serverAssignor: null,
  topicPartitions: [],
};

type Assignment = { topicPartitions: Array<{ topicId: string; partitions: number[] }> } | null;

/**
 * Heartbeat until the member's assignment (sent only when it changes) reaches `partitions`
 * partitions: Kafka resolves regexes in the background. Returns the last assignment and error.
 */
async function untilAssigned(
  c: WireClient,
  groupId: string,
  memberId: string,
  joined: { memberEpoch: number; assignment: Assignment },
  partitions: number,
) {
  let epoch = joined.memberEpoch;
  let assignment = joined.assignment;
  const count = () => (assignment?.topicPartitions ?? []).reduce((s, t) => s + t.partitions.length, 0);
  for (let i = 0; i < 100 && count() !== partitions; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const hb = await c.send(ConsumerGroupHeartbeat, 1, { ...JOIN, groupId, memberId, memberEpoch: epoch, topicPartitions: null });
    if (hb.errorCode !== 0) return { errorCode: hb.errorCode, assignment };
    epoch = hb.memberEpoch;
    assignment = hb.assignment ?? assignment;
  }
  return { errorCode: 0, memberEpoch: epoch, assignment };
}

test('ConsumerGroupHeartbeat v1 refuses what Kafka 4.4 refuses, with its codes and messages', T, async () => {
  await same('CGH v1 invalid joins', async (side) => {
    const c = await coordinator(side, 'cg-invalid');
    const out = [];
    for (const body of [
      { ...JOIN, groupId: 'cg-invalid', memberId: '', subscribedTopicNames: ['re-orders'] },
      { ...JOIN, groupId: 'cg-invalid', memberId: randomUUID() },
      { ...JOIN, groupId: 'cg-invalid', memberId: randomUUID(), subscribedTopicNames: [] },
      { ...JOIN, groupId: 'cg-invalid', memberId: randomUUID(), subscribedTopicRegex: '(' },
      { ...JOIN, groupId: 'cg-invalid', memberId: randomUUID(), subscribedTopicRegex: 're-(?=orders)' },
      { ...JOIN, groupId: 'cg-invalid', memberId: randomUUID(), subscribedTopicRegex: '' },
    ]) {
      const res = await c.send(ConsumerGroupHeartbeat, 1, body);
      out.push({ errorCode: res.errorCode, errorMessage: res.errorMessage, memberId: res.memberId === body.memberId });
    }
    return out;
  });
});

test('ConsumerGroupHeartbeat v1: a regex subscription gets the matching topics; ConsumerGroupDescribe v1 shows it', T, async () => {
  await same('CGH v1 regex + CGD v1', async (side) => {
    const c = await coordinator(side, 'cg-regex');
    const memberId = randomUUID();
    const joined = await c.send(ConsumerGroupHeartbeat, 1, { ...JOIN, groupId: 'cg-regex', memberId, subscribedTopicRegex: 're-.*' });
    assert.equal(joined.errorCode, 0, `${side.name}: ${joined.errorMessage}`);
    assert.equal(joined.memberId, memberId, 'the client-generated id is kept');
    const assigned = await untilAssigned(c, 'cg-regex', memberId, joined, 3);
    const names = new Map([...side.ids].map(([n, id]) => [id, n]));
    const sorted = (assigned.assignment?.topicPartitions ?? [])
      .map((t) => ({ topic: names.get(t.topicId), partitions: [...t.partitions].sort() }))
      .sort((a, b) => ((a.topic ?? '') < (b.topic ?? '') ? -1 : 1));
    const described = await c.send(ConsumerGroupDescribe, 1, { groupIds: ['cg-regex', 'cg-nobody'], includeAuthorizedOperations: false });
    const groups = described.groups.map((g) => ({
      ...g,
      groupEpoch: g.groupEpoch > 0,
      assignmentEpoch: g.assignmentEpoch > 0,
      members: g.members.map((m) => ({
        ...m,
        memberId: m.memberId === memberId,
        memberEpoch: m.memberEpoch > 0,
        clientHost: 'HOST',
        assignment: m.assignment.topicPartitions.map((t) => t.topicName).sort(),
        targetAssignment: m.targetAssignment.topicPartitions.map((t) => t.topicName).sort(),
      })),
    }));
    const leave = await c.send(ConsumerGroupHeartbeat, 1, {
      ...JOIN,
      groupId: 'cg-regex',
      memberId,
      memberEpoch: -1,
      topicPartitions: null,
    });
    const deleted = await c.send(DeleteGroups, 3, { groupsNames: ['cg-regex'] });
    return {
      assigned: { errorCode: assigned.errorCode, assignment: sorted },
      groups,
      leave: { errorCode: leave.errorCode, memberEpoch: leave.memberEpoch },
      deleted,
    };
  });
});

test('DeleteGroups v3 of a consumer group with a member: NON_EMPTY_GROUP', T, async () => {
  await same('DeleteGroups v3 non-empty', async (side) => {
    const c = await coordinator(side, 'cg-busy');
    const memberId = randomUUID();
    await c.send(ConsumerGroupHeartbeat, 1, { ...JOIN, groupId: 'cg-busy', memberId, subscribedTopicNames: ['other'] });
    const deleted = await c.send(DeleteGroups, 3, { groupsNames: ['cg-busy'] });
    await c.send(ConsumerGroupHeartbeat, 1, { ...JOIN, groupId: 'cg-busy', memberId, memberEpoch: -1, topicPartitions: null });
    return deleted;
  });
});

test('the Java consumer 4.4 (group.protocol=consumer) subscribed by SubscriptionPattern reads the matching topics only', {
  timeout: 120_000,
}, async () => {
  const now = Date.now();
  const run = async (side: Side) => {
    const c = await side.client();
    const produced = await c.send(Produce, 13, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 5000,
      topicData: [
        { topicId: side.ids.get('re-orders')!, partitionData: [0, 1].map((index) => ({ index, records: batch([now, now]) })) },
        { topicId: side.ids.get('re-payments')!, partitionData: [{ index: 0, records: batch([now]) }] },
        { topicId: side.ids.get('other')!, partitionData: [{ index: 0, records: batch([now, now, now]) }] },
      ],
    });
    for (const t of produced.responses) for (const p of t.partitionResponses) assert.equal(p.errorCode, 0, side.name);
    await coordinator(side, 'cg-java');
    const out = await javaOk([join(JAVA_PROGRAMS, 'RegexConsumer.java'), side.bootstrap, 'cg-java', 're-(orders|payments)', '5'], {
      timeoutMs: 90_000,
    });
    return JSON.parse(out.stdout.trim().split('\n').pop()!) as unknown;
  };
  // Both sides at once: each run mostly waits (the group join, the regex subscription's metadata), not on the CPU.
  const [theirs, ours] = await Promise.all([run(pair.kafka), run(pair.kafkalite)]);
  assert.deepEqual(ours, theirs);
  assert.deepEqual(ours, {
    total: 5,
    perTopic: { 're-orders': 4, 're-payments': 1 },
    assignment: ['re-orders-0', 're-orders-1', 're-payments-0'],
  });
});
