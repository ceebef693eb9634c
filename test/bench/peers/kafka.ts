// Apache Kafka 4.4 as a peer: a single KRaft node (broker + controller) on disk, with Kafka's
// defaults and the JVM settings kafka-server-start.sh / kafka-run-class.sh give it
// (KAFKA_HEAP_OPTS="-Xmx1G -Xms1G", KAFKA_JVM_PERFORMANCE_OPTS: G1 with MaxGCPauseMillis=20 and
// InitiatingHeapOccupancyPercent=35, ExplicitGCInvokesConcurrent, full tiered JIT) -- not the
// quick-start flags (SerialGC, C1 only) test/jvm/kafka.ts's startKafka() uses for tests. The only
// configs set besides listeners are test/jvm/kafka.ts's SINGLE_NODE (one replica for the internal
// topics, no initial rebalance delay), which Kafka's own config/server.properties also sets.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KAFKA_CLASSPATH, LOG4J_CONFIG, SINGLE_NODE, freePort, javaOk } from '../../jvm/kafka.js';
import { createTopicWire, PeerUnavailable, waitForMetadata, type PeerBroker } from './broker.js';
import { spawnPeer } from './proc.js';

export const KAFKA_SERVER_JVM = [
  '-Xmx1G',
  '-Xms1G',
  '-server',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-Djava.awt.headless=true',
];

export function javaVersion(): string | null {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  return /version "([^"]+)"/.exec(r.stderr)?.[1] ?? 'unknown';
}

export function kafkaJarsPresent(): boolean {
  const lib = dirname(KAFKA_CLASSPATH);
  return existsSync(lib) && readdirSync(lib).some((f) => /^kafka_2\.13-4\.4\.\d+\.jar$/.test(f));
}

export async function startKafkaPeer(): Promise<PeerBroker> {
  const jv = javaVersion();
  if (!jv) throw new PeerUnavailable('no java on PATH (needs a JDK 17+)');
  if (!kafkaJarsPresent())
    throw new PeerUnavailable(`no Kafka 4.4 jars in ${dirname(KAFKA_CLASSPATH)} (node test/jvm/resolve.mjs fetches them)`);
  const dir = mkdtempSync(join(tmpdir(), 'kafka44-bench-'));
  const [port, controllerPort] = [await freePort(), await freePort()];
  const props: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': join(dir, 'data'),
    ...SINGLE_NODE,
  };
  const propsFile = join(dir, 'server.properties');
  writeFileSync(
    propsFile,
    `${Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
  );
  await javaOk(['kafka.tools.StorageTool', 'format', '-t', 'kafkaliteBenchCluster0', '-c', propsFile, '--ignore-formatted']);
  const bootstrap = `127.0.0.1:${port}`;
  const t0 = performance.now();
  const p = spawnPeer(
    'java',
    [...KAFKA_SERVER_JVM, `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`, '-cp', KAFKA_CLASSPATH, 'kafka.Kafka', propsFile],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let t1: number;
  try {
    t1 = await waitForMetadata(bootstrap, 120_000, () => !p.exited());
  } catch (e) {
    await p.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(e as Error).message}\nKafka printed:\n${p.output().slice(-4000)}`);
  }
  return {
    name: 'kafka',
    describe: `Apache Kafka 4.4.0, KRaft combined node, on disk, Java ${jv} ${KAFKA_SERVER_JVM.join(' ')}`,
    bootstrap,
    pid: p.child.pid!,
    readyMs: t1 - t0,
    createTopic: (name, partitions) => createTopicWire(bootstrap, name, partitions),
    alive: () => !p.exited(),
    output: p.output,
    async stop() {
      await p.stop('SIGTERM', 30_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
