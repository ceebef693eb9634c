// ConsumerGroupHeartbeat v1 (KIP-848 as Kafka 4.0 made it stable, which franz-go needs before it
// speaks the protocol): the client chooses its member id, and SubscribedTopicRegex subscribes a
// member to every topic whose whole name matches, new ones included; the texts are Kafka 4.4's.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ConsumerGroupHeartbeat, CreateTopics } from '../../protocol/messages/index.js';
import { describeConsumerGroup, topicId } from './groups-kip848-client.js';
import { WireClient } from './wire-client.js';

const JOIN = {
  groupId: 'rx',
  memberId: 'member-one',
  memberEpoch: 0,
  instanceId: null,
  rackId: null,
  rebalanceTimeoutMs: 30_000,
  subscribedTopicNames: null,
  subscribedTopicRegex: null,
  serverAssignor: null,
  topicPartitions: [],
};

test('v1: client-chosen member id, regex subscriptions that follow new topics, Kafka 4.4 validation texts', {
  timeout: 30_000,
}, async () => {
  await using broker = await startBroker({ clock: 'virtual', topics: { 'rx-a': 2, 'rx-b': 1, 'other-rx-a': 1 } });
  const c = await WireClient.connect(broker.bootstrap);
  try {
    const err = async (body: Record<string, unknown>, version = 1) => {
      const r = await c.send(ConsumerGroupHeartbeat, version, { ...JOIN, ...body });
      return [r.errorCode, r.errorMessage];
    };
    assert.deepEqual(await err({ memberId: '', subscribedTopicNames: ['rx-a'] }), [ErrorCode.INVALID_REQUEST, "MemberId can't be empty."]);
    assert.deepEqual(await err({}), [
      ErrorCode.INVALID_REQUEST,
      'Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.',
    ]);
    assert.deepEqual(await err({ subscribedTopicRegex: 'rx-(a' }), [
      ErrorCode.INVALID_REGULAR_EXPRESSION,
      'SubscribedTopicRegex `rx-(a` is not a valid regular expression: missing closing ).',
    ]);
    const empty = await c.send(ConsumerGroupHeartbeat, 1, { ...JOIN, groupId: 'rx-empty', subscribedTopicNames: [] });
    assert.deepEqual([empty.errorCode, empty.memberEpoch, empty.assignment?.topicPartitions], [0, 1, []], 'an empty subscription joins');
    // v0 still lets the broker choose the member id
    const v0 = await c.send(ConsumerGroupHeartbeat, 0, { ...JOIN, groupId: 'rx-v0', memberId: '', subscribedTopicNames: ['rx-b'] });
    assert.equal(v0.errorCode, 0);
    assert.match(v0.memberId ?? '', /^[A-Za-z0-9_-]{22}$/);

    const joined = await c.send(ConsumerGroupHeartbeat, 1, { ...JOIN, subscribedTopicRegex: 'rx-.*' });
    assert.deepEqual([joined.errorCode, joined.memberId, joined.memberEpoch], [0, 'member-one', 2]);
    const owned = (r: typeof joined) =>
      Object.fromEntries(
        (r.assignment?.topicPartitions ?? []).map((t) => [broker.core.topics.getById(t.topicId)!.name, [...t.partitions].sort()]),
      );
    assert.deepEqual(owned(joined), { 'rx-a': [0, 1], 'rx-b': [0] }, 'the whole name must match: other-rx-a is not subscribed');
    const described = await describeConsumerGroup(c, 'rx');
    assert.equal(described.members[0]!.subscribedTopicRegex, 'rx-.*');
    assert.deepEqual(described.members[0]!.subscribedTopicNames, []);

    const created = await c.send(CreateTopics, 7, {
      topics: [{ name: 'rx-c', numPartitions: 3, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 5000,
      validateOnly: false,
    });
    assert.equal(created.topics[0]!.errorCode, 0);
    const next = await c.send(ConsumerGroupHeartbeat, 1, {
      ...JOIN,
      memberEpoch: 2,
      rebalanceTimeoutMs: -1,
      topicPartitions: joined.assignment!.topicPartitions,
    });
    assert.equal(next.errorCode, 0);
    assert.equal(next.memberEpoch, 3, 'a new matching topic moves the group epoch');
    assert.deepEqual(owned(next), { 'rx-a': [0, 1], 'rx-b': [0], 'rx-c': [0, 1, 2] });
    assert.ok(topicId(broker, 'rx-c'));

    // '' clears the expression: the member keeps only the topics it names
    const cleared = await c.send(ConsumerGroupHeartbeat, 1, {
      ...JOIN,
      memberEpoch: 3,
      rebalanceTimeoutMs: -1,
      subscribedTopicRegex: '',
      subscribedTopicNames: ['rx-b'],
      topicPartitions: next.assignment!.topicPartitions,
    });
    assert.equal(cleared.errorCode, 0);
    assert.equal(cleared.memberEpoch, 3, 'the member revokes before it moves to the new epoch');
    assert.deepEqual(owned(cleared), { 'rx-b': [0] });
    const revoked = await c.send(ConsumerGroupHeartbeat, 1, {
      ...JOIN,
      memberEpoch: 3,
      rebalanceTimeoutMs: -1,
      topicPartitions: cleared.assignment!.topicPartitions,
    });
    assert.deepEqual([revoked.errorCode, revoked.memberEpoch], [0, 4]);
    assert.equal((await describeConsumerGroup(c, 'rx')).members[0]!.subscribedTopicRegex, '');
  } finally {
    await c.close();
  }
});

test('a heartbeat that leaves out its owned partitions (null: unchanged, as franz-go sends) is still told to revoke', {
  timeout: 30_000,
}, async () => {
  await using broker = await startBroker({ clock: 'virtual', topics: { r: 4 } });
  const c = await WireClient.connect(broker.bootstrap);
  try {
    const full = { ...JOIN, groupId: 'nul', subscribedTopicNames: ['r'], serverAssignor: 'uniform' };
    const a = await c.send(ConsumerGroupHeartbeat, 1, { ...full, memberId: 'A' });
    assert.deepEqual(a.assignment?.topicPartitions[0]?.partitions, [0, 1, 2, 3]);
    const b = await c.send(ConsumerGroupHeartbeat, 1, { ...full, memberId: 'B' });
    assert.deepEqual([b.memberEpoch, b.assignment?.topicPartitions], [3, []], 'B waits for A to release two partitions');
    const partial = { ...JOIN, groupId: 'nul', memberId: 'A', memberEpoch: 2, rebalanceTimeoutMs: -1, topicPartitions: null };
    const told = await c.send(ConsumerGroupHeartbeat, 1, partial);
    assert.equal(told.memberEpoch, 2, 'A stays at its epoch until it has revoked');
    assert.equal(told.assignment?.topicPartitions[0]?.partitions.length, 2, 'the answer carries the reduced assignment');
    const again = await c.send(ConsumerGroupHeartbeat, 1, partial);
    assert.equal(again.assignment, null, 'nothing changed since: no assignment');
  } finally {
    await c.close();
  }
});
