#!/usr/bin/env node
// A class-data sharing (AppCDS) archive of the classes Kafka 4.4's JVMs load in the tests: the broker, StorageTool,
// the command-line tools and the clients. A JVM started with -XX:SharedArchiveFile maps those classes already parsed
// and verified instead of reading them from the jars (JEP 310, https://openjdk.org/jeps/310). Measured on OpenJDK 17 on
// these 2-core machines: kafka-topics --describe, kafka-configs --describe and a 1000-record producer perf run against a
// real Kafka each take 1.0-1.3 s instead of 1.5-2.4 s of wall time. test/run.mjs dumps the archive while Biome and tsc
// run; test/jvm/kafka.ts adds the flags to every Kafka JVM once the archive exists (cdsFlags()), and runs without otherwise.
//
//   node test/jvm/cds.mjs              dump the archive now (nothing to do when it exists); prints its path
//   node test/jvm/cds.mjs --classlist  regenerate test/jvm/kafka44.classlist by running the JVMs it stands for
//
// The archive lives in test/jvm/.cache/cds, named by a hash of the class list, the jars' stamp and the java binary: a
// new list, new jars or another JDK dump a new one. A JVM whose classpath or JDK differs from the archive's ignores it
// (-Xshare:auto).

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CLASSLIST = join(here, 'kafka44.classlist');
const LIB = join(here, '.cache', 'lib');
const STAMP = join(here, '.cache', 'lib.stamp');
const LOG4J = join(here, 'log4j2.properties');

/** Where the archive for the current class list and jars is (or would be). */
export function cdsArchivePath() {
  const h = createHash('sha256');
  h.update(existsSync(CLASSLIST) ? readFileSync(CLASSLIST) : '');
  h.update(existsSync(STAMP) ? readFileSync(STAMP) : '');
  h.update(javaBinary());
  return join(here, '.cache', 'cds', `kafka44-${h.digest('hex').slice(0, 16)}.jsa`);
}

let javaPath;
/** The real path of the `java` on PATH (the JDK the archive belongs to), '' when there is none. */
function javaBinary() {
  try {
    javaPath ??= realpathSync(spawnSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).stdout.trim());
  } catch {
    javaPath = '';
  }
  return javaPath;
}

/** The JDK's own class list (lib/classlist beside bin/java): its lambda-form lines speed up every JVM. */
function jdkClasslist() {
  try {
    const list = join(dirname(javaBinary()), '..', 'lib', 'classlist');
    return existsSync(list) ? readFileSync(list, 'utf8') : '';
  } catch {
    return '';
  }
}

/** Dumps the archive unless it exists; resolves to its path (undefined when the JVM could not dump it). */
export async function dumpCdsArchive() {
  const archive = cdsArchivePath();
  if (existsSync(archive)) return archive;
  if (!existsSync(CLASSLIST) || !existsSync(LIB)) return undefined;
  mkdirSync(dirname(archive), { recursive: true });
  const work = mkdtempSync(join(dirname(archive), 'dump-'));
  try {
    const list = join(work, 'classlist');
    writeFileSync(list, `${jdkClasslist()}\n${readFileSync(CLASSLIST, 'utf8')}`);
    const tmp = join(work, 'kafka44.jsa');
    // The same GC and classpath as the JVMs that map it (test/jvm/kafka.ts's JAVA_FLAGS).
    const args = ['-Xshare:dump', '-XX:+UseSerialGC', `-XX:SharedClassListFile=${list}`, `-XX:SharedArchiveFile=${tmp}`];
    const code = await new Promise((resolve) => {
      const child = spawn('java', [...args, '-cp', join(LIB, '*')], { stdio: 'ignore' });
      child.on('error', () => resolve(-1));
      child.on('exit', (c) => resolve(c));
    });
    if (code !== 0 || !existsSync(tmp)) return undefined;
    renameSync(tmp, archive);
    return archive;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs the JVMs the class list stands for with -XX:DumpLoadedClassList and writes the union, sorted, JDK lambda lines aside. */
async function regenerateClasslist() {
  const work = mkdtempSync(join(tmpdir(), 'kafkalite-classlist-'));
  const cp = join(LIB, '*');
  const flags = (name) => [
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    `-Dlog4j2.configurationFile=${LOG4J}`,
    `-XX:DumpLoadedClassList=${join(work, `${name}.txt`)}`,
  ];
  const javaSync = (name, args, input) =>
    spawnSync('java', [...flags(name), '-cp', cp, ...args], { input, stdio: ['pipe', 'ignore', 'inherit'] });
  const [port, cport] = [19092 + Math.floor(Math.random() * 1000), 29092 + Math.floor(Math.random() * 1000)];
  const b = `127.0.0.1:${port}`;
  const props = join(work, 'server.properties');
  const conf = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${cport}`,
    listeners: `PLAINTEXT://${b},CONTROLLER://127.0.0.1:${cport}`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': join(work, 'data'),
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
  };
  writeFileSync(
    props,
    `${Object.entries(conf)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
  );
  javaSync('format', ['kafka.tools.StorageTool', 'format', '-t', 'kafkaliteOracleClust', '-c', props]);
  const broker = spawn('java', ['-Xms256m', '-Xmx1g', ...flags('broker'), '-cp', cp, 'kafka.Kafka', props], { stdio: 'ignore' });
  for (let i = 0; i < 1200; i++) {
    const up = await new Promise((r) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => r(s.destroy() || true));
      s.once('error', () => r(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    const t = 'org.apache.kafka.tools.';
    javaSync('topics', [`${t}TopicCommand`, '--bootstrap-server', b, '--create', '--topic', 'cl', '--partitions', '2']);
    javaSync('topics2', [`${t}TopicCommand`, '--bootstrap-server', b, '--describe', '--topic', 'cl']);
    javaSync('produce', [`${t}ConsoleProducer`, '--bootstrap-server', b, '--topic', 'cl'], '1\n2\n3\n');
    javaSync('consume', [
      `${t}consumer.ConsoleConsumer`,
      '--bootstrap-server',
      b,
      '--topic',
      'cl',
      '--from-beginning',
      '--max-messages',
      '3',
      '--group',
      'cl',
    ]);
    javaSync('groups', [`${t}consumer.group.ConsumerGroupCommand`, '--bootstrap-server', b, '--describe', '--all-groups']);
    javaSync('configs', [`${t}ConfigCommand`, '--bootstrap-server', b, '--describe', '--entity-type', 'topics', '--entity-name', 'cl']);
    javaSync('offsets', [`${t}GetOffsetShell`, '--bootstrap-server', b, '--topic', 'cl']);
  } finally {
    broker.kill('SIGTERM');
    await new Promise((r) => broker.on('exit', r));
  }
  const names = new Set();
  for (const f of ['format', 'broker', 'topics', 'topics2', 'produce', 'consume', 'groups', 'configs', 'offsets']) {
    const p = join(work, `${f}.txt`);
    if (!existsSync(p)) continue;
    for (const line of readFileSync(p, 'utf8').split('\n')) if (line && !line.startsWith('#') && !line.startsWith('@')) names.add(line);
  }
  rmSync(work, { recursive: true, force: true });
  const head = [
    '# Classes a Kafka 4.4 JVM of the tests loads (broker start, storage format, tools, console clients): the class list of',
    '# the CDS archive test/jvm/cds.mjs dumps. Regenerate with: node test/jvm/cds.mjs --classlist',
  ];
  writeFileSync(CLASSLIST, `${[...head, ...[...names].sort()].join('\n')}\n`);
  console.log(`${names.size} classes in ${CLASSLIST}`);
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--classlist')) await regenerateClasslist();
  else console.log((await dumpCdsArchive()) ?? 'no archive (no class list, no jars, or the dump failed)');
}
