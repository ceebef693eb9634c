// Captures real clients' request frames for the TCP fuzzer's seeds (test/fuzz/run.ts): a small
// recording TCP proxy in front of an in-process broker (which advertises the proxy's port, so
// clients keep talking through it), and a few runs of real clients through it — kafkajs (admin,
// producer with every codec, consumer group), kcat (librdkafka: metadata, produce, consume in a
// group), franz-go (produce with every codec, consume, admin) and the Java client 4.4
// (Producer.java, Consumer.java classic and KIP-848, AdminApi.java). Every client-to-broker frame is
// kept, at most PER_KEY of each (client, API key, version), in test/fuzz/fixtures/<client>.frames
// (length-prefixed frames, concatenated).
//
//   node dist/test/fuzz/record-frames.js [kafkajs] [kcat] [franz] [java]

import { mkdirSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { fileURLToPath } from 'node:url';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { startBroker } from '../../broker/index.js';
import { franz } from '../go/franz.js';
import { run } from '../integration/helpers.js';
import { JAVA_PROGRAMS, freePort, java } from '../jvm/kafka.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fuzz/fixtures/', import.meta.url));
const PER_KEY = 3;

/** A TCP proxy on `port` to `target`, handing every complete client frame to `onFrame`. */
function recordingProxy(port: number, target: number, onFrame: (frame: Buffer) => void): Promise<net.Server> {
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    let pending = Buffer.alloc(0);
    client.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4) {
        const size = pending.readInt32BE(0);
        if (pending.length < 4 + size) break;
        onFrame(Buffer.from(pending.subarray(0, 4 + size)));
        pending = pending.subarray(4 + size);
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

async function kafkajs(bootstrap: string): Promise<void> {
  const kafka = new Kafka({ clientId: 'rec-kafkajs', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'rec-js', numPartitions: 2 }] });
  await admin.describeConfigs({ resources: [{ type: 2, name: 'rec-js' }], includeSynonyms: true });
  await admin.fetchTopicOffsets('rec-js');
  await admin.listGroups();
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  for (const compression of [CompressionTypes.None, CompressionTypes.GZIP]) {
    await producer.send({ topic: 'rec-js', compression, messages: [{ key: 'k', value: 'v', headers: { h: 'x' } }, { value: 'w' }] });
  }
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: 'rec-js-group' });
  await consumer.connect();
  await consumer.subscribe({ topic: 'rec-js', fromBeginning: true });
  let seen = 0;
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async () => {
        if (++seen >= 4) resolve();
      },
    });
  });
  await consumer.disconnect();
  await admin.deleteTopics({ topics: ['rec-js'] });
  await admin.disconnect();
}

async function kcat(bootstrap: string): Promise<void> {
  await run('kcat', ['-b', bootstrap, '-L'], { timeoutMs: 30_000 });
  for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
    await run('kcat', ['-b', bootstrap, '-P', '-t', 'rec-kcat', '-z', codec, '-X', 'allow.auto.create.topics=true'], {
      input: 'a\nb\nc\n',
      timeoutMs: 30_000,
    });
  }
  await run('kcat', ['-b', bootstrap, '-G', 'rec-kcat-group', 'rec-kcat', '-e', '-o', 'beginning', '-c', '5'], { timeoutMs: 30_000 });
}

async function franzGo(bootstrap: string): Promise<void> {
  for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
    await franz('produce', bootstrap, ['-topic', 'rec-franz', '-n', '3', '-codec', codec, '-partitions', '1']);
  }
  await franz('consume', bootstrap, ['-topic', 'rec-franz', '-n', '5']);
  await franz('admin', bootstrap, ['-prefix', 'rec-franz-adm']);
}

async function javaClient(bootstrap: string): Promise<void> {
  const programs = [
    ['Producer.java', 'codecs,rec-java,3'],
    ['Consumer.java', 'offsets,classic,rec-java-c,rec-java-g1', 'offsets,consumer,rec-java-c2,rec-java-g2'],
    ['AdminApi.java', 'rec-java-adm'],
  ];
  for (const [program, ...args] of programs) {
    const r = await java([`${JAVA_PROGRAMS}/${program}`, bootstrap, ...args], { timeoutMs: 180_000 });
    if (r.code !== 0) console.error(`${program} exited ${r.code}: ${r.stderr.slice(-1000)}`);
  }
}

const CLIENTS: Record<string, (bootstrap: string) => Promise<void>> = { kafkajs, kcat, franz: franzGo, java: javaClient };

const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(CLIENTS);
mkdirSync(FIXTURES, { recursive: true });
for (const name of wanted) {
  const port = await freePort();
  const broker = await startBroker({ advertisedPort: port });
  const target = Number(broker.bootstrap.split(':').pop());
  const kept = new Map<string, number>();
  const frames: Buffer[] = [];
  const proxy = await recordingProxy(port, target, (frame) => {
    if (frame.length < 12) return;
    const key = `${frame.readInt16BE(4)}/${frame.readInt16BE(6)}`;
    const n = kept.get(key) ?? 0;
    if (n >= PER_KEY) return;
    kept.set(key, n + 1);
    frames.push(frame);
  });
  try {
    await CLIENTS[name]!(`127.0.0.1:${port}`);
  } catch (err) {
    console.error(`${name}: ${String(err)}`);
  }
  proxy.close();
  await broker.stop();
  writeFileSync(`${FIXTURES}${name}.frames`, Buffer.concat(frames));
  const keys = [...kept.keys()].sort((a, b) => Number(a.split('/')[0]) - Number(b.split('/')[0]) || a.localeCompare(b));
  console.log(`${name}: ${frames.length} frames, ${Buffer.concat(frames).length} bytes, API/version: ${keys.join(' ')}`);
}
process.exit(0);
