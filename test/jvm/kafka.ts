// Apache Kafka 4.4.0 in the tests: the classpath resolved by test/jvm/resolve.mjs, a runner for
// Java programs and Kafka's tools from those jars, and a real single-node KRaft broker
// (combined broker and controller, storage formatted in a temp dir, free ports) to compare
// kafkalite with.
//
//   const kafka = await startKafka();          // about 3 s on these 2-core machines
//   kafka.bootstrap;                            // '127.0.0.1:41234'
//   await kafka.stop();                          // SIGKILL (nothing reads its dir afterwards), removes the dir
//
//   await java(['org.apache.kafka.tools.GetOffsetShell', '--bootstrap-server', b]);   // a main class
//   await java([join(JAVA_PROGRAMS, 'Produce.java'), b]);                               // a single-file program
//
// Two caches under test/jvm/.cache spare each JVM start-up work (test/run.mjs makes both while Biome and tsc run): the
// class-data sharing archive of Kafka's classes (test/jvm/cds.mjs), mapped by every Kafka JVM once it exists, and the
// programs of test/jvm/programs/ compiled to classes (test/jvm/programs.mjs), which java() runs instead of the source.

import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type RunResult } from '../integration/helpers.js';

const JVM_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'jvm');
/** The jars of Kafka 4.4.0 and its dependencies, as a `-cp` wildcard. */
export const KAFKA_CLASSPATH = join(JVM_DIR, '.cache', 'lib', '*');
/** Single-file Java programs the tests launch (`java -cp ... Program.java`). */
export const JAVA_PROGRAMS = join(JVM_DIR, 'programs');
/** A log4j2 configuration that keeps Kafka's tools and broker quiet (warnings and up). */
export const LOG4J_CONFIG = join(JVM_DIR, 'log4j2.properties');

const JAVA_FLAGS = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xshare:auto', `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`];

const { cdsArchivePath } = (await import(join(JVM_DIR, 'cds.mjs'))) as { cdsArchivePath(): string };
const { compilePrograms } = (await import(join(JVM_DIR, 'programs.mjs'))) as { compilePrograms(): Promise<string | undefined> };
const CDS_ARCHIVE = cdsArchivePath();

/**
 * The flags that map the CDS archive of Kafka's classes (test/jvm/cds.mjs) when it exists, else none. -Xlog:cds=off
 * keeps a JVM that finds the archive unusable (another JDK) from printing about it: it then reads the jars as without.
 */
export function cdsFlags(): string[] {
  return existsSync(CDS_ARCHIVE) ? [`-XX:SharedArchiveFile=${CDS_ARCHIVE}`, '-Xlog:cds=off', '-Xlog:cds+dynamic=off'] : [];
}

/**
 * `-cp` and the program for `java`: a program of test/jvm/programs/ given as its source file runs from its compiled
 * classes (test/jvm/programs.mjs) when it compiled, from the source (the source launcher) otherwise.
 */
async function classpathAndArgs(args: string[]): Promise<string[]> {
  const program = args[0];
  if (program?.endsWith('.java') && resolve(dirname(program)) === resolve(JAVA_PROGRAMS)) {
    const dir = await compilePrograms();
    const name = basename(program, '.java');
    if (dir && readFileSync(join(dir, 'compiled.txt'), 'utf8').split('\n').includes(`${name}.java`)) {
      return ['-cp', `${KAFKA_CLASSPATH}:${join(dir, name)}`, name, ...args.slice(1)];
    }
  }
  return ['-cp', KAFKA_CLASSPATH, ...args];
}

/** Runs `java -cp <Kafka 4.4 jars> ...args` to completion. */
export async function java(
  args: string[],
  opts: { input?: string | Buffer; timeoutMs?: number; env?: NodeJS.ProcessEnv; jvmFlags?: string[] } = {},
): Promise<RunResult> {
  return run('java', [...JAVA_FLAGS, ...cdsFlags(), ...(opts.jvmFlags ?? []), ...(await classpathAndArgs(args))], {
    timeoutMs: opts.timeoutMs ?? 120_000,
    input: opts.input,
    env: opts.env,
  });
}

/** Like `java`, but rejects when the program exits non-zero, with its output in the error. */
export async function javaOk(args: string[], opts: Parameters<typeof java>[1] = {}): Promise<RunResult> {
  const r = await java(args, opts);
  if (r.code !== 0) throw new Error(`java ${args.join(' ')} exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

/** A free TCP port on 127.0.0.1 (listen on 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RealKafka {
  bootstrap: string;
  port: number;
  dataDir: string;
  /** Milliseconds from spawning the JVM to the broker's port answering. */
  startMs: number;
  /** What the broker printed so far (test/jvm/log4j2.properties: warnings and up, to stderr). */
  output(): string;
  stop(): Promise<void>;
}

export interface StartKafkaOptions {
  /**
   * Extra broker configs (server.properties keys), added after the defaults below; a function gets the
   * ports chosen (e.g. to add a listener next to PLAINTEXT).
   */
  config?:
    | Record<string, string | number | boolean>
    | ((ports: { port: number; controllerPort: number }) => Record<string, string | number | boolean>);
  timeoutMs?: number;
}

/** Defaults that make a single node usable: internal topics with one replica, no join delay. */
export const SINGLE_NODE: Record<string, string | number> = {
  'offsets.topic.replication.factor': 1,
  'offsets.topic.num.partitions': 1,
  'transaction.state.log.replication.factor': 1,
  'transaction.state.log.min.isr': 1,
  'transaction.state.log.num.partitions': 1,
  'share.coordinator.state.topic.replication.factor': 1,
  'share.coordinator.state.topic.min.isr': 1,
  'group.initial.rebalance.delay.ms': 0,
};

/** Starts a real Apache Kafka 4.4.0 broker (KRaft, combined roles) on free ports. */
export async function startKafka(opts: StartKafkaOptions = {}): Promise<RealKafka> {
  const dir = mkdtempSync(join(tmpdir(), 'kafka44-'));
  const dataDir = join(dir, 'data');
  const [port, controllerPort] = [await freePort(), await freePort()];
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': dataDir,
    ...SINGLE_NODE,
    ...(typeof opts.config === 'function' ? opts.config({ port, controllerPort }) : opts.config),
  };
  const propsFile = join(dir, 'server.properties');
  const lines = Object.entries(props).map(([k, v]) => `${k}=${v}`);
  writeFileSync(propsFile, `${lines.join('\n')}\n`);
  await formatStorage(props, dataDir);

  const t0 = performance.now();
  const child = spawn('java', ['-Xms256m', '-Xmx1g', ...JAVA_FLAGS, ...cdsFlags(), '-cp', KAFKA_CLASSPATH, 'kafka.Kafka', propsFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    // Every listener, not the first alone: SocketServer.enableRequestProcessing starts the acceptors one after another,
    // each binding its port in Acceptor.start(), in the order of a ConcurrentHashMap keyed by endpoint (ports included),
    // so a test's second listener (EXTERNAL, SSL, SASL_PLAINTEXT) may still refuse when PLAINTEXT first answers.
    await waitForPorts(listenerPorts(String(props.listeners)), child, opts.timeoutMs ?? 60_000);
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(e as Error).message}\nKafka printed:\n${output.join('')}`);
  }
  const startMs = performance.now() - t0;
  let stopped: Promise<void> | undefined;
  return {
    bootstrap: `127.0.0.1:${port}`,
    port,
    dataDir,
    startMs,
    output: () => output.join(''),
    stop() {
      stopped ??= (async () => {
        // SIGKILL, not SIGTERM: the directory is removed next, so a controlled shutdown (seconds of a loaded machine's
        // wall time at the end of each file) would write state nobody reads.
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/** Formatted storage templates, one per broker config (ports and log.dirs aside), shared by the test files of a run. */
const FORMAT_TEMPLATES = join(tmpdir(), 'kafkalite-kafka44-format');
const LIB_STAMP = join(JVM_DIR, '.cache', 'lib.stamp');

/**
 * `kafka-storage format` into `dataDir`, run once per distinct config: what StorageTool writes (meta.properties and the
 * bootstrap checkpoint of __cluster_metadata-0) depends on neither the ports nor the directory, so the first broker of a
 * config formats a template (one JVM, about a second of CPU) and later ones copy it. The template is named by a hash of
 * the config with its ports and log.dirs left out, and of resolve.mjs's stamp, so other jars or configs format afresh.
 */
async function formatStorage(props: Record<string, string | number | boolean>, dataDir: string): Promise<void> {
  const key = createHash('sha256');
  for (const [k, v] of Object.entries(props).sort(([a], [b]) => a.localeCompare(b))) {
    if (k !== 'log.dirs') key.update(`${k}=${String(v).replace(/:\d+/g, ':<port>')}\n`);
  }
  key.update(existsSync(LIB_STAMP) ? readFileSync(LIB_STAMP) : 'no stamp');
  const template = join(FORMAT_TEMPLATES, key.digest('hex').slice(0, 16));
  if (!existsSync(join(template, 'meta.properties'))) {
    mkdirSync(FORMAT_TEMPLATES, { recursive: true });
    const work = mkdtempSync(join(FORMAT_TEMPLATES, 'tmp-'));
    const data = join(work, 'data');
    const propsFile = join(work, 'server.properties');
    const lines = Object.entries({ ...props, 'log.dirs': data }).map(([k, v]) => `${k}=${v}`);
    writeFileSync(propsFile, `${lines.join('\n')}\n`);
    await javaOk(['kafka.tools.StorageTool', 'format', '-t', 'kafkaliteOracleClust', '-c', propsFile, '--ignore-formatted']);
    // Another test process may have published the same template meanwhile: its copy is as good as ours.
    try {
      renameSync(data, template);
    } catch {}
    rmSync(work, { recursive: true, force: true });
  }
  cpSync(template, dataDir, { recursive: true });
}

/** The host and port of each listener of a `listeners` config ('NAME://host:port,...'); a wildcard host is loopback, port 0 (unknowable
 * from here) left out. */
export function listenerPorts(listeners: string): { host: string; port: number }[] {
  return listeners
    .split(',')
    .map((l) => {
      const m = /^[^:]+:\/\/(.*):(\d+)$/.exec(l.trim());
      if (!m) throw new Error(`unparsed listener ${l}`);
      const host = m[1] === '' || m[1] === '0.0.0.0' ? '127.0.0.1' : m[1]!.replace(/^\[|\]$/g, '');
      return { host, port: Number(m[2]) };
    })
    .filter((p) => p.port !== 0);
}

/** Resolves once every one of `ports` accepts a connection, polled every 50 ms in turn. */
async function waitForPorts(ports: { host: string; port: number }[], child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const waiting = [...ports];
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Kafka exited with ${child.exitCode} before listening`);
    while (waiting.length > 0 && (await canConnect(waiting[0]!))) waiting.shift();
    if (waiting.length === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Kafka did not listen on ${waiting.map((p) => `${p.host}:${p.port}`).join(', ')} within ${timeoutMs} ms`);
}

function canConnect({ host, port }: { host: string; port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, host);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
