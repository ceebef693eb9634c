// Client quotas over the wire against an in-process broker on a virtual clock: AlterClientQuotas
// and DescribeClientQuotas state (and its persistence), then enforcement as Kafka's
// ClientQuotaManager does it: a produce over producer_byte_rate is answered at once with
// throttle_time_ms, and the connection reads nothing more until the throttle has passed on the
// broker clock (KIP-219 muting); a fetch over consumer_byte_rate is answered empty; a strict
// CreateTopics over controller_mutation_rate fails with THROTTLING_QUOTA_EXCEEDED.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startBroker, type Broker, type VirtualClock } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import {
  AlterClientQuotas,
  ApiVersions,
  CreateTopics,
  DescribeClientQuotas,
  Fetch,
  Metadata,
  Produce,
} from '../../protocol/messages/index.js';
import { KafkaConnection } from '../../bin/client/connection.js';
import { buildBatch } from '../../protocol/records/index.js';
import { WireClient, requestFrame } from './wire-client.js';

const T = { timeout: 30_000 };

const alter = (c: WireClient, entity: Array<[string, string | null]>, ops: Array<[string, number | null]>, validateOnly = false) =>
  c.send(AlterClientQuotas, 1, {
    entries: [
      {
        entity: entity.map(([entityType, entityName]) => ({ entityType, entityName })),
        ops: ops.map(([key, value]) => ({ key, value: value ?? 0, remove: value === null })),
      },
    ],
    validateOnly,
  });

const describeAll = (c: WireClient) => c.send(DescribeClientQuotas, 1, { components: [], strict: false });

function produceBody(topic: string, bytes: number, acks = 1) {
  const records = [{ key: null, value: Buffer.alloc(bytes, 7) }];
  return {
    transactionalId: null,
    acks,
    timeoutMs: 5000,
    topicData: [{ name: topic, partitionData: [{ index: 0, records: buildBatch({ records }) }] }],
  };
}

/** Resolves true if `p` settles within `ms` of wall time (the virtual clock does not move by itself). */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = p.then(
    () => true,
    () => true,
  );
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const r = await Promise.race([settled, late]);
  clearTimeout(timer);
  return r;
}

test('AlterClientQuotas and DescribeClientQuotas: set, describe with filters, remove, survive a restart', T, async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'kafkalite-quotas-'));
  let broker: Broker | null = await startBroker({ dataDir });
  try {
    let c = await WireClient.connect(broker.bootstrap);
    const set = await alter(
      c,
      [
        ['user', 'alice'],
        ['client-id', 'app'],
      ],
      [
        ['producer_byte_rate', 1024],
        ['request_percentage', 50],
      ],
    );
    assert.deepEqual(set.entries, [
      {
        errorCode: 0,
        errorMessage: null,
        entity: [
          { entityType: 'client-id', entityName: 'app' },
          { entityType: 'user', entityName: 'alice' },
        ],
      },
    ]);
    await alter(c, [['client-id', null]], [['consumer_byte_rate', 2048]]);
    const bad = await alter(c, [['ip', '127.0.0.1']], [['producer_byte_rate', 10]]);
    assert.equal(bad.entries[0]!.errorCode, ErrorCode.INVALID_REQUEST);
    assert.equal(bad.entries[0]!.errorMessage, 'Invalid configuration key producer_byte_rate');
    const frac = await alter(c, [['user', 'bob']], [['producer_byte_rate', 1.5]]);
    assert.equal(frac.entries[0]!.errorMessage, 'producer_byte_rate cannot be a fractional value.');
    const dry = await alter(c, [['user', 'carol']], [['producer_byte_rate', 10]], true);
    assert.equal(dry.entries[0]!.errorCode, 0);

    const all = await describeAll(c);
    assert.equal(all.errorCode, 0);
    assert.equal(all.entries!.length, 2, 'validate_only and refused alterations changed nothing');
    const strictUser = await c.send(DescribeClientQuotas, 1, {
      components: [{ entityType: 'user', matchType: 0, match: 'alice' }],
      strict: true,
    });
    assert.deepEqual(strictUser.entries, [], 'strict: the entity also names a client-id');
    const byDefault = await c.send(DescribeClientQuotas, 0, {
      components: [{ entityType: 'client-id', matchType: 1, match: null }],
      strict: false,
    });
    assert.deepEqual(byDefault.entries, [
      { entity: [{ entityType: 'client-id', entityName: null }], values: [{ key: 'consumer_byte_rate', value: 2048 }] },
    ]);
    const badFilter = await c.send(DescribeClientQuotas, 1, {
      components: [{ entityType: 'group', matchType: 2, match: null }],
      strict: false,
    });
    assert.equal(badFilter.errorCode, ErrorCode.UNSUPPORTED_VERSION);
    assert.equal(badFilter.entries, null);
    await c.close();

    await broker.stop();
    broker = await startBroker({ dataDir });
    c = await WireClient.connect(broker.bootstrap);
    const after = await c.send(DescribeClientQuotas, 1, { components: [{ entityType: 'user', matchType: 2, match: null }], strict: false });
    assert.deepEqual(after.entries, [
      {
        entity: [
          { entityType: 'client-id', entityName: 'app' },
          { entityType: 'user', entityName: 'alice' },
        ],
        values: [
          { key: 'request_percentage', value: 50 },
          { key: 'producer_byte_rate', value: 1024 },
        ],
      },
    ]);
    await alter(
      c,
      [
        ['user', 'alice'],
        ['client-id', 'app'],
      ],
      [
        ['producer_byte_rate', null],
        ['request_percentage', null],
      ],
    );
    assert.equal((await describeAll(c)).entries!.length, 1, 'removing every key removes the entity');
    await c.close();
  } finally {
    await broker?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('producer_byte_rate: throttle_time_ms at once, then the connection is muted until the broker clock passes it', T, async () => {
  const broker = await startBroker({ clock: 'virtual', topics: { t: 1 }, http: { port: 0 } });
  const clock = broker.clock as VirtualClock;
  try {
    const admin = await WireClient.connect(broker.bootstrap);
    // The default user (every connection is User:ANONYMOUS without SASL): 1000 bytes/s.
    await alter(admin, [['user', null]], [['producer_byte_rate', 1000]]);
    const c = await WireClient.connect(broker.bootstrap);
    // 11 samples of 1 s: the rate is measured over at least 10 s, so 30 kB is 3000 B/s, 3x the quota.
    const first = await c.send(Produce, 9, produceBody('t', 30_000));
    assert.equal(first.responses[0]!.partitionResponses[0]!.errorCode, 0, 'a throttled produce is still appended');
    // Kafka: (O - T) / T x W = (3000+ - 1000) / 1000 x 10 000 ms, about 20 s.
    assert.ok(first.throttleTimeMs >= 19_000 && first.throttleTimeMs <= 21_000, `throttle ${first.throttleTimeMs}`);

    const next = c.send(ApiVersions, 3, { clientSoftwareName: 'x', clientSoftwareVersion: '1' });
    assert.equal(await settlesWithin(next, 300), false, 'muted: the next request is not read');
    await clock.advance(first.throttleTimeMs - 1);
    assert.equal(await settlesWithin(next, 200), false, 'still muted 1 ms before the end');
    await clock.advance(1);
    assert.equal(await settlesWithin(next, 2000), true, 'answered once the throttle has passed');
    // Other connections were never muted.
    const other = await admin.send(ApiVersions, 3, { clientSoftwareName: 'x', clientSoftwareVersion: '1' });
    assert.equal(other.errorCode, 0);

    const text = await (await fetch(`${broker.http!.url}/metrics`)).text();
    assert.match(text, /kafkalite_quota_throttles_total\{quota="Produce",user="ANONYMOUS",client_id=""\} 1/);
    await c.close();
    await admin.close();
  } finally {
    await broker.stop();
  }
});

test(
  'producer_byte_rate, pipelined: the throttled produce is answered at once, the produce read with it after the throttle',
  T,
  async () => {
    // broker/connection.ts holds a response while the next queued request is a Produce, and sends it before muting.
    const broker = await startBroker({ clock: 'virtual', topics: { t: 1 } });
    const clock = broker.clock as VirtualClock;
    try {
      const admin = await WireClient.connect(broker.bootstrap);
      await alter(admin, [['user', null]], [['producer_byte_rate', 1000]]);
      const c = await WireClient.connect(broker.bootstrap);
      c.cork();
      const first = c.send(Produce, 9, produceBody('t', 30_000));
      const second = c.send(Produce, 9, produceBody('t', 10));
      c.uncork();
      assert.equal(await settlesWithin(first, 5000), true, 'the throttled response is not held back by the mute');
      const throttle = (await first).throttleTimeMs;
      assert.ok(throttle >= 19_000 && throttle <= 21_000, `throttle ${throttle}`);
      assert.equal(await settlesWithin(second, 300), false, 'muted: the second produce waits for the throttle');
      await clock.advance(throttle);
      const r = await second;
      assert.equal(r.responses[0]!.partitionResponses[0]!.errorCode, 0);
      assert.equal(r.responses[0]!.partitionResponses[0]!.baseOffset, 1);
      await c.close();
      await admin.close();
    } finally {
      await broker.stop();
    }
  },
);

test('consumer_byte_rate: a fetch over the quota is answered empty with throttle_time_ms; fetch size capped', T, async () => {
  const broker = await startBroker({ clock: 'virtual', topics: { t: 1 } });
  const clock = broker.clock as VirtualClock;
  try {
    const c = await WireClient.connect(broker.bootstrap);
    for (let i = 0; i < 4; i++) await c.send(Produce, 9, produceBody('t', 4000));
    await alter(c, [['client-id', 'wire-test']], [['consumer_byte_rate', 1000]]);
    const fetch = (offset: number, maxBytes: number) =>
      c.send(Fetch, 12, {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          {
            topic: 't',
            partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: offset, logStartOffset: -1, partitionMaxBytes: 10_000_000 }],
          },
        ],
        forgottenTopicsData: [],
        rackId: '',
      });
    const size = (r: Awaited<ReturnType<typeof fetch>>) => {
      const records = r.responses[0]!.partitions[0]!.records as Buffer | Buffer[];
      return Array.isArray(records) ? records.reduce((n, b) => n + b.length, 0) : records.length;
    };
    // max_bytes is capped at 1000 B/s x (11 - 1) windows = 10 000 bytes of records; with the
    // response's own bytes that is just over the quota: throttle = bytes - 10 000 ms (Kafka alike).
    // Uncapped, the 16 kB stored would have earned about 6 s.
    const capped = await fetch(0, 10_000_000);
    assert.ok(capped.throttleTimeMs > 0 && capped.throttleTimeMs < 200, `throttle ${capped.throttleTimeMs}`);
    assert.deepEqual(capped.responses, [], 'a throttled fetch returns no partitions');
    // The throttled fetch's bytes were taken back: a small fetch now passes.
    await clock.advance(capped.throttleTimeMs);
    const small = await fetch(0, 5000);
    assert.equal(small.throttleTimeMs, 0);
    assert.ok(size(small) > 4000 && size(small) <= 5000, `${size(small)} bytes`);
    const over = await fetch(1, 10_000_000);
    assert.ok(over.throttleTimeMs > 4000, `throttle ${over.throttleTimeMs}`);
    assert.deepEqual(over.responses, []);
    await c.close();
  } finally {
    await broker.stop();
  }
});

test('a throttled full fetch (epoch 0) creates no fetch session: session id 0, and the one slot stays free', T, async () => {
  // Kafka's FullFetchContext.getThrottledResponse answers INVALID_SESSION_ID without maybeCreateSession.
  const broker = await startBroker({ clock: 'virtual', topics: { t: 1 }, config: { 'max.incremental.fetch.session.cache.slots': 1 } });
  const clock = broker.clock as VirtualClock;
  try {
    const c = await WireClient.connect(broker.bootstrap);
    for (let i = 0; i < 4; i++) await c.send(Produce, 9, produceBody('t', 4000));
    await alter(c, [['client-id', 'wire-test']], [['consumer_byte_rate', 1000]]);
    const fullFetch = (maxBytes: number) =>
      c.send(Fetch, 12, {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: 0,
        topics: [
          {
            topic: 't',
            partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 10_000_000 }],
          },
        ],
        forgottenTopicsData: [],
        rackId: '',
      });
    const throttled = await fullFetch(10_000_000);
    assert.ok(throttled.throttleTimeMs > 0, `throttle ${throttled.throttleTimeMs}`);
    assert.deepEqual([throttled.sessionId, throttled.responses], [0, []]);
    // The only slot is free: the next full fetch (same size, so it could not evict an orphan younger
    // than two minutes) gets a session.
    await clock.advance(throttled.throttleTimeMs);
    const next = await fullFetch(5000);
    assert.equal(next.throttleTimeMs, 0);
    assert.ok(next.sessionId > 0, `session id ${next.sessionId}`);
    await c.close();
  } finally {
    await broker.stop();
  }
});

test('controller_mutation_rate: strict CreateTopics v6+ gets THROTTLING_QUOTA_EXCEEDED once the bucket is empty', T, async () => {
  const broker = await startBroker({ clock: 'virtual' });
  try {
    const c = await WireClient.connect(broker.bootstrap);
    await alter(c, [['user', null]], [['controller_mutation_rate', 1]]);
    const create = (name: string, partitions: number, v = 7) =>
      c.send(CreateTopics, v, {
        topics: [{ name, numPartitions: partitions, replicationFactor: 1, assignments: [], configs: [] }],
        timeoutMs: 5000,
        validateOnly: false,
      });
    // The bucket holds 11 samples x 1 s x 1/s = 11 tokens: 20 partitions pass (the bucket was
    // not yet empty) and leave it at -9, as Kafka's StrictControllerMutationQuota checks before taking.
    const first = await create('a', 20);
    assert.equal(first.topics[0]!.errorCode, 0);
    assert.equal(first.throttleTimeMs, 0);
    const c2 = await WireClient.connect(broker.bootstrap);
    const second = await c2.send(CreateTopics, 7, {
      topics: [{ name: 'b', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 5000,
      validateOnly: false,
    });
    assert.equal(second.topics[0]!.errorCode, ErrorCode.THROTTLING_QUOTA_EXCEEDED);
    // ApiError.fromThrowable leaves out a message that only repeats the error's own.
    assert.equal(second.topics[0]!.errorMessage, null);
    assert.equal(second.throttleTimeMs, 9000, '9 permits owed at 1 per second');
    // Permissive below v6: created, only throttled.
    const c3 = await WireClient.connect(broker.bootstrap);
    const old = await c3.send(CreateTopics, 5, {
      topics: [{ name: 'c', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 5000,
      validateOnly: false,
    });
    assert.equal(old.topics[0]!.errorCode, 0);
    assert.ok(old.throttleTimeMs > 0);
    for (const x of [c, c2, c3]) await x.close();
  } finally {
    await broker.stop();
  }
});

test(
  'request_percentage: request time over the quota throttles at most one quota window; acks=0 is exempt but still muted by bytes',
  T,
  async () => {
    const broker = await startBroker({ clock: 'virtual', topics: { t: 1 } });
    const clock = broker.clock as VirtualClock;
    try {
      // The admin's own client id is not under the quotas set below.
      const admin = await KafkaConnection.connect(broker.bootstrap, { clientId: 'admin' });
      // A millionth of a percent of one thread: any request's handler time is far over it.
      await alter(admin, [['client-id', 'wire-test']], [['request_percentage', 1e-6]]);
      const c = await WireClient.connect(broker.bootstrap);
      const v = await c.send(ApiVersions, 3, { clientSoftwareName: 'x', clientSoftwareVersion: '1' });
      // ClientRequestQuotaManager caps the throttle at quota.window.size.seconds.
      assert.equal(v.throttleTimeMs, 1000);
      const next = c.send(ApiVersions, 3, { clientSoftwareName: 'x', clientSoftwareVersion: '1' });
      assert.equal(await settlesWithin(next, 300), false, 'muted');
      await clock.advance(1000);
      assert.equal(((await next) as { throttleTimeMs: number }).throttleTimeMs, 1000, 'answered after the throttle, and throttled again');
      await c.close();

      // acks=0 under the request quota only: no response, no mute (Kafka exempts it).
      await alter(admin, [['client-id', 'acks0']], [['request_percentage', 1e-6]]);
      const z = await KafkaConnection.connect(broker.bootstrap, { clientId: 'acks0' });
      await z.send(Produce, 9, produceBody('t', 100, 0), { expectResponse: false });
      const free = z.send(Metadata, 1, { topics: null });
      assert.equal(await settlesWithin(free, 2000), true, 'acks=0 is not held back by the request quota');
      await free;
      await z.close();

      // acks=0 over producer_byte_rate: still no response, but the connection is muted.
      await alter(admin, [['client-id', 'acks0-bytes']], [['producer_byte_rate', 100]]);
      const y = await KafkaConnection.connect(broker.bootstrap, { clientId: 'acks0-bytes' });
      await y.send(Produce, 9, produceBody('t', 5000, 0), { expectResponse: false });
      const held = y.send(Metadata, 1, { topics: null });
      assert.equal(await settlesWithin(held, 300), false, 'muted after an acks=0 produce over its byte rate');
      await clock.advance(60_000);
      assert.equal(await settlesWithin(held, 2000), true);
      await y.close();
      await admin.close();
    } finally {
      await broker.stop();
    }
  },
);

test('connection_creation_rate: a connection over its ip rate is never read and is closed when the throttle passes', T, async () => {
  const broker = await startBroker({ clock: 'virtual', config: { 'quota.window.num': 2 } });
  const clock = broker.clock as VirtualClock;
  try {
    const admin = await WireClient.connect(broker.bootstrap);
    const set = await admin.send(AlterClientQuotas, 1, {
      entries: [
        { entity: [{ entityType: 'ip', entityName: '127.0.0.1' }], ops: [{ key: 'connection_creation_rate', value: 1, remove: false }] },
      ],
      validateOnly: false,
    });
    assert.equal(set.entries[0]!.errorCode, 0);
    // Two samples of 1 s: one connection per second passes; a second one at once is throttled
    // for (2 - 1) / 1 x 1000 ms, capped at one window.
    const first = await WireClient.connect(broker.bootstrap);
    assert.equal((await first.send(ApiVersions, 3, { clientSoftwareName: 'x', clientSoftwareVersion: '1' })).errorCode, 0);
    const second = await WireClient.connect(broker.bootstrap);
    second.sendRaw(requestFrame(ApiVersions, 3, { clientSoftwareName: 'x', clientSoftwareVersion: '1' }, { correlationId: 7 }));
    const closed = second.expectClose().then(
      () => true,
      () => true,
    );
    assert.equal(await settlesWithin(closed, 300), false, 'held open, unread, until the throttle passes');
    await clock.advance(1000);
    assert.equal(await settlesWithin(closed, 2000), true, 'closed once the throttle has passed');
    assert.equal(second.frames.length, 0, 'its request was never answered');
    // Later, the rate is within the quota again.
    await clock.advance(5000);
    const third = await WireClient.connect(broker.bootstrap);
    assert.equal((await third.send(ApiVersions, 3, { clientSoftwareName: 'x', clientSoftwareVersion: '1' })).errorCode, 0);
    for (const c of [admin, first, third]) await c.close();
  } finally {
    await broker.stop();
  }
});

test('the test kit reset() drops client quotas with the other state', T, async () => {
  const broker = await startBroker();
  try {
    const c = await WireClient.connect(broker.bootstrap);
    await alter(c, [['client-id', 'x']], [['producer_byte_rate', 10]]);
    assert.equal((await describeAll(c)).entries!.length, 1);
    await broker.reset();
    assert.deepEqual((await describeAll(c)).entries, []);
    await c.close();
  } finally {
    await broker.stop();
  }
});
