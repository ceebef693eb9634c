// franz-go against kafkalite and against Apache Kafka 4.4.0 (test/jvm/kafka.ts), the same
// sub-commands of test/go/franz on fresh names, answers compared: the kadm scenario (topics,
// configs, partitions, offsets, records, groups, transactions, log dirs, cluster), a
// GroupTransactSession run, and consumer groups with the classic and the KIP-848 protocol.
// Where two correct brokers may answer differently (timing, versions, sizes) the comparison
// leaves that part out, and says why.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { franz, franzBinary } from '../go/franz.js';
import { startKafka, type RealKafka } from '../jvm/kafka.js';

type Steps = Record<string, Record<string, unknown>>;

const GROUP_CONFIG = {
  'group.initial.rebalance.delay.ms': 0,
  'group.consumer.heartbeat.interval.ms': 500,
  'group.consumer.min.heartbeat.interval.ms': 500,
};

describe('franz-go: kafkalite answers as Apache Kafka 4.4 does', () => {
  let broker: Broker;
  let kafka: RealKafka;
  before(async () => {
    await franzBinary();
    [broker, kafka] = await Promise.all([startBroker({ config: GROUP_CONFIG }), startKafka({ config: GROUP_CONFIG })]);
  });
  after(async () => {
    await broker?.stop();
    await kafka?.stop();
  });

  /** Runs one sub-command against both brokers at once. */
  async function both<T>(command: string, args: string[]): Promise<{ kafkalite: T; kafka: T }> {
    const [a, b] = await Promise.all([franz<T>(command, broker.bootstrap, args, 90_000), franz<T>(command, kafka.bootstrap, args, 90_000)]);
    return { kafkalite: a, kafka: b };
  }

  test('kadm scenario: every step answers the same', async () => {
    const { kafkalite, kafka: k } = await both<{ steps: Steps }>('admin', ['-prefix', 'fza']);
    const [ours, theirs] = [kafkalite.steps, k.steps];
    // Kafka 4.4 advertises newer API versions (another change brings kafkalite's up to them).
    delete ours.apiVersions;
    delete theirs.apiVersions;
    // Kafka reports the log volume's size; kafkalite's in-memory store has no volume.
    delete ours.describeLogDirs!.totalBytesKnown;
    delete theirs.describeLogDirs!.totalBytesKnown;
    // Kafka 4.4 bootstraps min.insync.replicas as a cluster-level dynamic config (source DYNAMIC_DEFAULT_BROKER_CONFIG).
    delete (ours.describeConfigs as Record<string, unknown>)['min.insync.replicas'];
    delete (theirs.describeConfigs as Record<string, unknown>)['min.insync.replicas'];
    // Topic config names: kafkalite lists a subset of Kafka 4.4's (it lacks ones it does not implement,
    // such as compression.*.level and the remote-storage ones), never one Kafka does not have.
    for (const step of ['describeConfigs', 'describeAltered']) {
      const [a, b] = [ours[step]!.names as string[], theirs[step]!.names as string[]];
      assert.deepEqual(
        a.filter((n) => !b.includes(n)),
        [],
        `${step}: topic configs Kafka 4.4 does not have`,
      );
      assert.ok(a.length >= 25, `${step}: ${a.length} topic configs`);
      delete ours[step]!.names;
      delete theirs[step]!.names;
    }
    // With Kafka 4.4's transaction version 2 (KIP-890), the commit marker bumps the producer epoch;
    // kafkalite finalizes no features, so franz-go runs the older protocol.
    for (const s of [ours, theirs]) {
      for (const p of s.transactionCommitted!.producers as Array<Record<string, unknown>>) {
        delete p.epoch;
        delete p.lastSequence;
      }
    }
    // DescribeGroups v6 (Kafka 4.4) reports GROUP_ID_NOT_FOUND for an unknown group; v5 (kafkalite today) a Dead group, no error.
    delete (ours.describeGroups as Record<string, unknown>)['fza-nosuch'];
    delete (theirs.describeGroups as Record<string, unknown>)['fza-nosuch'];

    assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort());
    for (const step of Object.keys(theirs)) assert.deepEqual(ours[step], theirs[step], `step ${step}`);
  });

  test('GroupTransactSession: the same exactly-once outcome', async () => {
    type Eos = Record<string, unknown> & { abortedRecords: number; uncommittedTotal: number };
    const { kafkalite, kafka: k } = await both<Eos>('eos', [
      '-in',
      'fzx-in',
      '-out',
      'fzx-out',
      '-group',
      'fzx',
      '-n',
      '60',
      '-partitions',
      '3',
    ]);
    // How many records the aborted transaction held depends on fetch timing; what read_uncommitted sees follows from it.
    const norm = ({ abortedRecords, uncommittedTotal, outEndOffsets, commits, ...rest }: Eos) => ({
      ...rest,
      extra: uncommittedTotal - abortedRecords,
    });
    assert.deepEqual(norm(kafkalite), norm(k));
    assert.equal(kafkalite.committedExactlyOnce, 60);
  });

  for (const [name, protocol, extra] of [
    ['classic', 'classic', []],
    ['consumer', 'consumer', []],
    ['regex', 'consumer', ['-regex', 'fzg-regex|fzg-nothing-[0-9]+']],
  ] as const) {
    test(`consumer group, ${name}: the same assignment shape, reads and commits`, async () => {
      type Run = { members: Array<Record<string, number | number[]>>; describe: Record<string, unknown> } & Record<string, unknown>;
      const args = ['-topic', `fzg-${name}`, '-group', `fzg-${name}`, '-n', '120', '-partitions', '4', '-protocol', protocol, ...extra];
      const { kafkalite, kafka: k } = await both<Run>('group', args);
      // Request counts and generations depend on timing. DescribeGroups does not describe a
      // consumer-protocol group: at v6 (Kafka 4.4) with GROUP_ID_NOT_FOUND, at v5 (kafkalite today) as Dead.
      const norm = (r: Run) => ({
        ...r,
        describe: { ...r.describe, err: undefined },
        members: r.members.map((m) => ({
          partitions: (m.partitions as number[]).length,
          spoke848: (m.consumerGroupHeartbeat as number) > 0,
        })),
      });
      assert.deepEqual(norm(kafkalite), norm(k));
      assert.equal(kafkalite.duplicates, 0);
    });
  }
});
