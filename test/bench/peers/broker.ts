// What the peer benchmark needs of a broker, whichever it is: a bootstrap address, the pid whose
// CPU and RSS /proc shows (the broker process; for librdkafka's mock, the process hosting it),
// topic creation, and stop. kafkalite.ts, kafka.ts, kfake.ts and mock.ts each make one.

import { performance } from 'node:perf_hooks';
import { KafkaConnection } from '../../../bin/client/connection.js';
import { CreateTopics } from '../../../protocol/messages/19-create-topics.js';
import { Metadata } from '../../../protocol/messages/03-metadata.js';

export type PeerName = 'kafkalite' | 'kafka' | 'kfake' | 'mock';
export const PEER_NAMES: PeerName[] = ['kafkalite', 'kafka', 'kfake', 'mock'];

export interface PeerBroker {
  name: PeerName;
  /** One line: what runs, with versions and flags. */
  describe: string;
  bootstrap: string;
  pid: number;
  /** Exec (spawn) until the first Metadata request was answered. */
  readyMs: number;
  createTopic(name: string, partitions: number): Promise<void>;
  alive(): boolean;
  /** The process's output so far (tail), for error reports. */
  output(): string;
  stop(): Promise<void>;
}

/** A peer that cannot run here (no JDK, no Go, no librdkafka...): why. */
export class PeerUnavailable extends Error {}

/** Polls with Metadata v1 until answered; resolves with the time of the answer (performance.now()). */
export async function waitForMetadata(bootstrap: string, timeoutMs: number, alive: () => boolean): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let last = '';
  while (performance.now() < deadline) {
    if (!alive()) throw new Error(`broker exited before answering Metadata (${last})`);
    try {
      const c = await KafkaConnection.connect(bootstrap, { clientId: 'kafkalite-bench', connectTimeoutMs: 1000 });
      try {
        await c.send(Metadata, 1, { topics: [] } as never);
        return performance.now();
      } finally {
        void c.close();
      }
    } catch (e) {
      last = (e as Error).message;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  throw new Error(`no Metadata answer from ${bootstrap} within ${timeoutMs} ms (${last})`);
}

/** CreateTopics v2 (old enough for every peer), then waits until Metadata shows the partitions with a leader. */
export async function createTopicWire(bootstrap: string, name: string, partitions: number): Promise<void> {
  const c = await KafkaConnection.connect(bootstrap, { clientId: 'kafkalite-bench' });
  try {
    const res = await c.send(CreateTopics, 2, {
      topics: [{ name, numPartitions: partitions, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 30_000,
      validateOnly: false,
    } as never);
    const bad = res.topics.filter((t) => t.errorCode !== 0);
    if (bad.length > 0) throw new Error(`CreateTopics ${name}: ${JSON.stringify(bad)}`);
    const deadline = performance.now() + 30_000;
    while (performance.now() < deadline) {
      const md = await c.send(Metadata, 1, { topics: [{ name }] } as never);
      const t = md.topics.find((x) => x.name === name);
      if (t && t.errorCode === 0 && t.partitions.length === partitions && t.partitions.every((p) => p.leaderId >= 0)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`topic ${name} has no leader for all ${partitions} partitions after 30 s`);
  } finally {
    void c.close();
  }
}
