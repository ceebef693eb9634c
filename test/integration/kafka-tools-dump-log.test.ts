// Apache Kafka 4.4's kafka-dump-log (DumpLogSegments), run from its jars, reading kafkalite's own
// data directory: the proof that it is Kafka's layout. The same workload (a transactional
// producer that commits, aborts and commits; an idempotent producer; 100 keyed records with set
// timestamps; a group's committed offset) runs against a disk kafkalite and a real Kafka 4.4
// (startKafka), and the dumps are compared line by line once the values that differ between
// two runs (times, CRCs, producer ids, paths) are masked:
//   .log with --deep-iteration --print-data-log, .index and .timeindex (entries, and
//   --verify-index-only / --index-sanity-check on kafkalite's), .txnindex (the aborted
//   transaction), .snapshot (producer state), and --offsets-decoder / --transaction-log-decoder
//   on __consumer_offsets and __transaction_state.
// kafkalite's files are read after a clean stop (which writes the producer snapshot); Kafka's
// segments are rolled first (segment.ms=1 and one more record), which writes its snapshot and
// leaves the segment complete, and its internal topics' active segments are read as they are.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker } from '../../broker/index.js';
import { startKafka, type RealKafka } from '../jvm/kafka.js';
import { kafkaToolOk } from '../jvm/tools.js';
import { tempDir } from './helpers.js';

const T0 = Date.UTC(2026, 0, 1);
const SINGLE_INTERNAL_PARTITION = { 'offsets.topic.num.partitions': 1, 'transaction.state.log.num.partitions': 1 };

async function workload(bootstrap: string): Promise<void> {
  const kafka = new Kafka({ clientId: 'dump', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: ['tx', 'idem', 'bulk'].map((topic) => ({ topic, numPartitions: 1 })) });
    const txp = kafka.producer({ transactionalId: 'dump-tx', idempotent: true, maxInFlightRequests: 1 });
    await txp.connect();
    for (const [values, commit] of [
      [['committed-1'], true],
      [['aborted-1', 'aborted-2'], false],
      [['committed-2'], true],
    ] as const) {
      const t = await txp.transaction();
      await t.send({ topic: 'tx', messages: values.map((value, i) => ({ key: `k${i}`, value })) });
      await (commit ? t.commit() : t.abort());
    }
    await txp.disconnect();

    const idem = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await idem.connect();
    for (let i = 0; i < 3; i++)
      await idem.send({ topic: 'idem', messages: [{ key: 'i', value: `idem-${i}`, timestamp: String(T0 + i) }], acks: -1 });
    await idem.disconnect();

    const plain = kafka.producer();
    await plain.connect();
    for (let batch = 0; batch < 10; batch++) {
      await plain.send({
        topic: 'bulk',
        messages: Array.from({ length: 10 }, (_, i) => ({
          key: `b${batch * 10 + i}`,
          value: `${batch * 10 + i}:`.padEnd(300, 'x'),
          timestamp: String(T0 + (batch * 10 + i) * 1000),
        })),
      });
    }
    await plain.disconnect();
    await admin.setOffsets({ groupId: 'dump-g', topic: 'tx', partitions: [{ partition: 0, offset: '7' }] });
  } finally {
    await admin.disconnect();
  }
}

/** Roll Kafka's segments of these topics: segment.ms=1, then one record each. */
async function rollKafka(bootstrap: string, topics: string[]): Promise<void> {
  const kafka = new Kafka({ clientId: 'roll', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.alterConfigs({
    validateOnly: false,
    resources: topics.map((name) => ({ type: 2, name, configEntries: [{ name: 'segment.ms', value: '1' }] })),
  });
  await admin.disconnect();
  await new Promise((r) => setTimeout(r, 20));
  const p = kafka.producer();
  await p.connect();
  for (const topic of topics) await p.send({ topic, messages: [{ value: 'roll' }] });
  await p.disconnect();
}

/** Masks what differs between two runs of the same workload. */
function normalize(dump: string): string {
  return dump
    .replace(/^Dumping .*\/([^/]+)$/gm, 'Dumping $1')
    .replace(/(CreateTime|crc|lastTimestamp|timestamp|currentStateTimestamp|commitTimestamp|TimestampMs)(["]?): ?-?\d+/g, '$1$2: T')
    .replace(/"(transactionLastUpdateTimestampMs|transactionStartTimestampMs|commitTimestamp|currentStateTimestamp)":\d+/g, '"$1":T')
    .replace(/(producerId|previousProducerId)(["]?): ?\d+/g, '$1$2: P')
    .replace(/"topicId":"[^"]+"/g, '"topicId":"ID"');
}

describe('Kafka 4.4 kafka-dump-log reads kafkalite data directories', () => {
  const dir = tempDir('kafka-tools-dump-');
  const lite = join(dir.path, 'data');
  let kafka: RealKafka;
  const file = (root: string, topicPartition: string, suffix: string) => {
    const names = readdirSync(join(root, topicPartition)).filter((n) => n.endsWith(suffix));
    assert.ok(names.length > 0, `${topicPartition} has a ${suffix} file: ${readdirSync(join(root, topicPartition)).join(' ')}`);
    return join(root, topicPartition, names.sort()[0]!);
  };
  const dump = async (files: string[], ...args: string[]) =>
    (await kafkaToolOk('kafka-dump-log', ['--files', files.join(','), ...args])).stdout;

  before(async () => {
    const [broker, real] = await Promise.all([
      startBroker({ dataDir: lite, config: SINGLE_INTERNAL_PARTITION }),
      startKafka({ config: SINGLE_INTERNAL_PARTITION }),
    ]);
    kafka = real;
    try {
      await Promise.all([workload(broker.bootstrap), workload(kafka.bootstrap)]);
      await rollKafka(kafka.bootstrap, ['tx', 'idem', 'bulk']);
    } finally {
      await broker.stop();
    }
  });
  after(async () => {
    await kafka?.stop();
    dir.remove();
  });

  test('segments: .log (deep iteration, data), .index, .timeindex, .txnindex and .snapshot dump as Kafka’s own do', async () => {
    const kinds = (root: string) => [
      file(root, 'tx-0', '.log'),
      file(root, 'tx-0', '.txnindex'),
      join(root, 'tx-0', '00000000000000000007.snapshot'),
      file(root, 'idem-0', '.log'),
      join(root, 'idem-0', '00000000000000000003.snapshot'),
      file(root, 'bulk-0', '.log'),
      file(root, 'bulk-0', '.index'),
      file(root, 'bulk-0', '.timeindex'),
    ];
    const [ours, theirs] = await Promise.all(
      [lite, kafka.dataDir].map((root) => dump(kinds(root), '--deep-iteration', '--print-data-log')),
    );
    assert.deepEqual(normalize(ours).split('\n'), normalize(theirs).split('\n'));

    // What the comparison covers, so that two empty dumps cannot pass.
    assert.match(ours, /endTxnMarker: ABORT/);
    assert.match(ours, /\| offset: 3 .*key: k1 payload: aborted-2/);
    assert.match(ours, /version: 0 producerId: \d+ firstOffset: 2 lastOffset: 4 lastStableOffset: 5/);
    assert.match(ours, /producerId: \d+ producerEpoch: 0 coordinatorEpoch: 0 currentTxnFirstOffset: OptionalLong.empty .* lastOffset: 5/);
    assert.match(ours, /firstSequence: 2 lastSequence: 2 lastOffset: 2 offsetDelta: 0 timestamp: \d+/);
    assert.match(ours, /offset: \d+ position: \d+\n/);
    assert.match(ours, new RegExp(`timestamp: ${T0 + 99_000} offset: 99`));
  });

  test('leader-epoch-checkpoint: the same file as Kafka 4.4 writes (storage/leader-epoch-checkpoint.ts)', () => {
    const read = (root: string) =>
      ['tx-0', 'idem-0', 'bulk-0'].map((tp) => readFileSync(join(root, tp, 'leader-epoch-checkpoint'), 'utf8'));
    assert.deepEqual(read(lite), read(kafka.dataDir));
    assert.deepEqual(read(lite), ['0\n1\n0 0\n', '0\n1\n0 0\n', '0\n1\n0 0\n']);
  });

  test('index checks: --verify-index-only and --index-sanity-check pass on kafkalite’s indexes', async () => {
    const indexes = ['.index', '.timeindex'].flatMap((s) => ['tx-0', 'idem-0', 'bulk-0'].map((tp) => file(lite, tp, s)));
    const verified = await dump(indexes, '--verify-index-only');
    assert.doesNotMatch(verified, /mismatch|corrupt|error/i);
    assert.equal(verified.match(/^Dumping /gm)?.length, 6);
    const sane = await dump(indexes, '--index-sanity-check');
    assert.equal(sane.match(/passed sanity check\./g)?.length, 4, sane); // empty indexes print 'is empty.'
    assert.equal(sane.match(/is empty\./g)?.length, 2, sane);
  });

  test('__consumer_offsets with --offsets-decoder and __transaction_state with --transaction-log-decoder', async () => {
    const internal = (root: string) => [file(root, '__consumer_offsets-0', '.log'), file(root, '__transaction_state-0', '.log')];
    const ours = await dump(internal(lite), '--offsets-decoder');
    assert.match(
      ours,
      /key: \{"type":"1","data":\{"group":"dump-g","topic":"tx","partition":0\}\} payload: \{"version":"\d","data":\{"offset":7,"leaderEpoch":-1,"metadata":"",/,
    );
    // The group's offset commit as Kafka 4.4 writes it: value v4 with the topic id.
    const commit = (text: string) => normalize(text).match(/key: \{"type":"1","data":\{"group":"dump-g".*$/m)?.[0];
    assert.equal(commit(ours), commit(await dump([internal(kafka.dataDir)[0]!], '--offsets-decoder')));
    assert.match(ours, /"dump-g","topic":"tx","partition":0\}\} payload: \{"version":"4",.*"topicId":"/);
    const txnLog = await dump([internal(lite)[1]!], '--transaction-log-decoder');
    const states = [
      ...txnLog.matchAll(/"transactionalId":"dump-tx"\}\} payload: \{"version":"\d","data":\{.*?"transactionStatus":"(\w+)"/g),
    ].map((m) => m[1]);
    assert.deepEqual(states, [
      'Empty',
      ...[
        'Ongoing',
        'PrepareCommit',
        'CompleteCommit',
        'Ongoing',
        'PrepareAbort',
        'CompleteAbort',
        'Ongoing',
        'PrepareCommit',
        'CompleteCommit',
      ],
    ]);
    const theirs = await dump([internal(kafka.dataDir)[1]!], '--transaction-log-decoder');
    const pick = (text: string) =>
      normalize(text)
        .split('\n')
        .filter((l) => l.includes('"transactionalId":"dump-tx"'))
        .map((l) => l.replace(/^.*?key: /, 'key: '));
    assert.deepEqual(pick(txnLog), pick(theirs));
  });
});
