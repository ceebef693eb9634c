// The checker's first client implementation: kafkajs in this process. An idempotent producer
// (acks=all, one request in flight) sends one value to each of a few partitions per request; a
// transactional one sends 1-5 values per transaction and commits or (one in five) aborts; a
// group of read_committed consumers records every record it is handed. Each keeps going through
// the broker's kills: a failed send is recorded as failed, a failed producer is replaced.

import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { countEvent, type History, noteConsumed, recordOffset } from './history.js';

export interface Worker {
  name: string;
  stop(): Promise<void>;
}

const RETRY = { retries: 5, initialRetryTime: 100, maxRetryTime: 1000 };

function client(bootstrap: string, id: string): Kafka {
  return new Kafka({
    clientId: id,
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    retry: RETRY,
    connectionTimeout: 2000,
    requestTimeout: 10_000,
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Source {
  name: string;
  partitions: number;
  n: number;
}

function take(s: Source): { value: string; partition: number } {
  const value = `${s.name}-${s.n}`;
  const partition = s.n % s.partitions;
  s.n++;
  return { value, partition };
}

async function connected(make: () => Producer, stopped: () => boolean): Promise<Producer | undefined> {
  while (!stopped()) {
    const p = make();
    try {
      await p.connect();
      return p;
    } catch {
      await p.disconnect().catch(() => {});
      await sleep(200);
    }
  }
  return undefined;
}

export function startKafkajsProducer(
  h: History,
  o: { bootstrap: string; name: string; mode: 'idem' | 'txn'; topic: string; partitions: number; random: () => number },
): Worker {
  const kafka = client(o.bootstrap, o.name);
  const make = () =>
    kafka.producer(
      o.mode === 'txn'
        ? { transactionalId: o.name, idempotent: true, maxInFlightRequests: 1, transactionTimeout: 60_000 }
        : { idempotent: true, maxInFlightRequests: 1 },
    );
  const src: Source = { name: o.name, partitions: o.partitions, n: 0 };
  let stopping = false;
  const loop = (async () => {
    let p = await connected(make, () => stopping);
    while (!stopping && p) {
      const msgs = Array.from({ length: 1 + Math.floor(o.random() * 4) }, () => take(src));
      const values = msgs.map((m) => m.value);
      let committing = false;
      try {
        if (o.mode === 'idem') {
          const res = await p.send({ topic: o.topic, acks: -1, messages: msgs });
          for (const m of msgs) {
            const r = res.find((x) => x.partition === m.partition)!;
            const offset = Number(r.baseOffset);
            recordOffset(h, m.partition, offset, m.value);
            h.acked.set(m.value, { partition: m.partition, offset });
          }
        } else {
          const txn = await p.transaction();
          try {
            const res = await txn.send({ topic: o.topic, acks: -1, messages: msgs });
            for (const m of msgs) recordOffset(h, m.partition, Number(res.find((x) => x.partition === m.partition)!.baseOffset), m.value);
            if (o.random() < 0.2) {
              await txn.abort();
              for (const v of values) h.aborted.add(v);
            } else {
              committing = true;
              await txn.commit();
              for (const v of values) h.committed.add(v);
            }
          } catch (e) {
            if (!committing) await txn.abort().catch(() => {});
            throw e;
          }
        }
      } catch (e) {
        if (o.mode === 'idem') for (const v of values) h.failed.add(v);
        else for (const v of values) (committing ? h.unknown : h.aborted).add(v);
        countEvent(h, `kafkajs ${o.mode} ${committing ? 'commit' : 'send'} failed: ${(e as Error).name}`);
        // A producer that failed may have lost its sequence or transaction state: replace it
        // (a transactional one is fenced and its open transaction aborted by the next InitProducerId).
        await p.disconnect().catch(() => {});
        await sleep(100);
        p = await connected(make, () => stopping);
      }
      await sleep(5);
    }
    await p?.disconnect().catch(() => {});
  })();
  return {
    name: o.name,
    stop: async () => {
      stopping = true;
      await loop;
    },
  };
}

/** A group of read_committed consumers over the topic from the beginning; records every record handed to them. */
export function startKafkajsConsumers(h: History, o: { bootstrap: string; group: string; topic: string; members: number }): Worker {
  const consumers: Consumer[] = [];
  let stopping = false;
  const startOne = async (i: number): Promise<void> => {
    while (!stopping) {
      const c = client(o.bootstrap, `${o.group}-${i}`).consumer({
        groupId: o.group,
        readUncommitted: false,
        sessionTimeout: 6000,
        heartbeatInterval: 500,
        retry: { retries: 1_000_000, initialRetryTime: 100, maxRetryTime: 1000 },
      });
      try {
        await c.connect();
        await c.subscribe({ topic: o.topic, fromBeginning: true });
        c.on(c.events.CRASH, (ev) => {
          countEvent(h, `kafkajs consumer crashed${ev.payload.restart ? ' (restarting)' : ''}`);
          if (!ev.payload.restart && !stopping) {
            void c.disconnect().catch(() => {});
            void startOne(i);
          }
        });
        await c.run({
          eachMessage: async ({ partition, message }) => {
            noteConsumed(h, partition, Number(message.offset), message.value?.toString() ?? '');
          },
        });
        consumers[i] = c;
        return;
      } catch {
        countEvent(h, 'kafkajs consumer start failed');
        await c.disconnect().catch(() => {});
        await sleep(300);
      }
    }
  };
  for (let i = 0; i < o.members; i++) void startOne(i);
  return {
    name: o.group,
    stop: async () => {
      stopping = true;
      await Promise.all(consumers.map((c) => c.disconnect().catch(() => {})));
    },
  };
}
