// The workload the mirror tests move (test/integration/mirror*.test.ts): on a kafkalite, a
// plain topic whose records carry keys, headers and old CreateTime timestamps, a compacted topic
// whose cleaner has run (offsets with gaps), and a transactional topic with aborted
// transactions between committed ones (markers and aborted records: more gaps), all written
// with kafkajs; then consumer groups that stop part way through.

import { Kafka, logLevel } from 'kafkajs';

export const PLAIN = 'mirror-plain';
export const COMPACT = 'mirror-compact';
export const TXN = 'mirror-txn';
export const TOPICS = [PLAIN, COMPACT, TXN];
/** A CreateTime well in the past, which a copy must keep. */
export const OLD_TS = Date.parse('2026-01-02T03:04:05Z');

export function kafkaFor(bootstrap: string, clientId = 'mirror-test'): Kafka {
  return new Kafka({ clientId, brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 50 } });
}

/** Topics and records; returns the number of committed records written per topic. */
export async function writeWorkload(bootstrap: string, scale = 1): Promise<void> {
  const kafka = kafkaFor(bootstrap);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: PLAIN, numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '315360000000' }] },
      {
        topic: COMPACT,
        numPartitions: 2,
        configEntries: [
          { name: 'cleanup.policy', value: 'compact' },
          { name: 'segment.ms', value: '100' },
          { name: 'min.cleanable.dirty.ratio', value: '0.01' },
          { name: 'delete.retention.ms', value: '100' },
        ],
      },
      { topic: TXN, numPartitions: 2 },
    ],
  });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < 300 * scale; i++) {
    await producer.send({
      topic: PLAIN,
      messages: [{ key: `k${i % 17}`, value: `plain-${i}`, timestamp: String(OLD_TS + i), headers: { trace: `t${i}`, n: String(i % 3) } }],
    });
  }
  // Compacted: 20 keys overwritten 10 times; each send in its own batch so segments roll.
  for (let round = 0; round < 10; round++) {
    await producer.send({ topic: COMPACT, messages: Array.from({ length: 20 }, (_, k) => ({ key: `key-${k}`, value: `v${round}-${k}` })) });
    await new Promise((r) => setTimeout(r, 120));
  }
  await producer.disconnect();
  const tx = kafka.producer({ transactionalId: 'mirror-tx', idempotent: true, maxInFlightRequests: 1 });
  await tx.connect();
  for (let i = 0; i < 12; i++) {
    const t = await tx.transaction();
    await t.send({
      topic: TXN,
      messages: Array.from({ length: 5 }, (_, j) => ({ key: `tx${i}-${j}`, value: `${i % 3 === 1 ? 'aborted' : 'committed'}-${i}-${j}` })),
    });
    if (i % 3 === 1) await t.abort();
    else await t.commit();
  }
  await tx.disconnect();
}
