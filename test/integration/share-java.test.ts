// Share groups (KIP-932) with Kafka's own share consumer, KafkaShareConsumer of kafka-clients
// 4.4.0, against kafkalite: one JVM (test/jvm/programs/ShareConsumers.java) runs every scenario,
// each printing one JSON line. Implicit acknowledgement (a second consumer of the group then
// gets nothing), explicit accept/release/reject with delivery counts (released records come
// back with count 2, rejected ones never), 3 consumers on one partition with no record twice,
// an acquisition lock expiring (the record goes to the other consumer, the late acknowledgement
// is refused), renew (KIP-1222) keeping a record from the other consumer past its lock, and the
// throughput of one share group with 3 consumers (printed: records/s).
//
// The lock scenarios run with group.share.min.record.lock.duration.ms=1000 so that a 2 s lock
// (share.record.lock.duration.ms, a group config) is allowed.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { startBroker } from '../../broker/index.js';
import { java, JAVA_PROGRAMS } from '../jvm/kafka.js';

const THROUGHPUT_RECORDS = 20_000;

test('KafkaShareConsumer 4.4.0: acknowledgement modes, shared partition, lock expiry, renew, throughput', {
  timeout: 300_000,
}, async () => {
  const broker = await startBroker({
    config: { 'group.share.min.record.lock.duration.ms': 1000 },
    topics: { si: 1, se: 1, s3: 1, sx: 1, sr: 1, sp: 1 },
  });
  try {
    broker.produce(
      'si',
      Array.from({ length: 20 }, (_, i) => `i${i}`),
    );
    broker.produce(
      'se',
      Array.from({ length: 9 }, (_, i) => `e${i}`),
    );
    broker.produce(
      's3',
      Array.from({ length: 300 }, (_, i) => `t${i}`),
    );
    broker.produce('sx', ['x']);
    broker.produce('sr', ['r']);
    const res = await java(
      [
        join(JAVA_PROGRAMS, 'ShareConsumers.java'),
        broker.bootstrap,
        ...['implicit', 'explicit', 'three', 'expiry', 'renew', 'throughput', String(THROUGHPUT_RECORDS)],
      ],
      { timeoutMs: 240_000 },
    );
    const lines = res.stdout
      .split('\n')
      .filter((l) => l.startsWith('{"scenario"'))
      .map((l) => JSON.parse(l));
    const by = Object.fromEntries(lines.map((l) => [l.scenario, l]));
    for (const l of lines) assert.equal(l.error, undefined, `${l.scenario}: ${l.error}\n${res.stderr.slice(-2000)}`);

    assert.deepEqual(by.implicit, { scenario: 'implicit', unique: 20, deliveries: 20, second: 0 });

    // Offsets %3: 0 accepted, 1 released (back with delivery count 2, then accepted), 2 rejected (never back).
    const expected = [];
    for (let o = 0; o < 9; o++) expected.push(`${o}:1:${['accept', 'release', 'reject'][o % 3]}`);
    for (const o of [1, 4, 7]) expected.push(`${o}:2:accept`);
    assert.deepEqual(by.explicit.log, expected);
    assert.equal(by.explicit.after, 0, 'nothing left for a new consumer');

    assert.equal(by.three.unique, 300);
    assert.equal(by.three.dupes, 0, 'no record delivered twice');
    assert.equal(
      by.three.per.reduce((a: number, b: number) => a + b, 0),
      300,
    );

    assert.deepEqual(by.expiry, { scenario: 'expiry', first: 1, redelivered: 2, lateAck: 'InvalidRecordStateException' });

    assert.equal(by.renew.held, true);
    assert.ok(by.renew.renews >= 3, `${by.renew.renews} renewals`);
    assert.equal(by.renew.otherSaw, 0, 'renewed past its 2 s lock: the other consumer never got it');
    assert.equal(by.renew.renewError, 'none');
    assert.equal(by.renew.accept, 'none');

    assert.equal(by.throughput.records, THROUGHPUT_RECORDS);
    assert.equal(by.throughput.dupes, 0);
    console.log(`share group, 3 KafkaShareConsumers, one partition: ${by.throughput.perSecond} records/s (${by.throughput.seconds} s)`);
  } finally {
    await broker.stop();
  }
});
