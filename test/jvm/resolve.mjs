#!/usr/bin/env node
// Resolves Apache Kafka 4.4.0 (pom.xml: the broker, its tools, the Java client, Kafka Streams)
// into test/jvm/.cache/lib once; later runs find the stamp and do nothing, so `npm test` works
// offline after its first run. The stamp holds a hash of pom.xml: editing the pom re-resolves.
//
//   node test/jvm/resolve.mjs            prints the classpath glob
//
// Needs java (17+) and mvn: when either is missing and we run as root, Debian's
// openjdk-17-jdk-headless and maven are installed with apt-get.

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cache = join(here, '.cache');
const lib = join(cache, 'lib');
const stamp = join(cache, 'lib.stamp');

function has(cmd) {
  return spawnSync(cmd, ['-version'], { stdio: 'ignore' }).status === 0;
}

export function ensureJvmTools() {
  const missing = [];
  if (!has('java')) missing.push('openjdk-17-jdk-headless');
  if (!has('mvn')) missing.push('maven');
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`missing ${missing.join(' and ')}: install them (apt-get install ${missing.join(' ')})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
}

export function resolveKafkaJars() {
  const pom = join(here, 'pom.xml');
  const hash = createHash('sha256').update(readFileSync(pom)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash) {
    // A cache resolved before the message JSON was extracted: extract it now.
    if (!existsSync(KAFKA_MESSAGE_SPECS)) extractMessageSpecs();
    if (!existsSync(KAFKA_39_MESSAGE_SPECS)) resolveOldMessageSpecs();
    if (!existsSync(KAFKA_RECORD_SCHEMAS)) dumpRecordSchemas();
    return `${lib}/*`;
  }
  ensureJvmTools();
  console.log('resolving Apache Kafka 4.4.0 with Maven into test/jvm/.cache (first run only)');
  rmSync(lib, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  execFileSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      pom,
      `-Dmaven.repo.local=${join(cache, 'm2')}`,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${lib}`,
      '-DincludeScope=runtime',
    ],
    { stdio: 'inherit' },
  );
  extractMessageSpecs();
  resolveOldMessageSpecs();
  dumpRecordSchemas();
  writeFileSync(stamp, `${hash}\n`);
  return `${lib}/*`;
}

/**
 * Kafka's own message definitions ship inside kafka-clients as common/message/*.json; the
 * schema test (test/unit/schemas.test.ts) compares ours with them. Extracted with the JDK's
 * `jar` into test/jvm/.cache/kafka-clients/common/message.
 */
function extractMessageSpecs() {
  const out = join(cache, 'kafka-clients');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const jarFile = readdirSync(lib).find((f) => /^kafka-clients-[\d.]+\.jar$/.test(f));
  if (!jarFile) throw new Error(`no kafka-clients jar in ${lib}`);
  execFileSync('jar', ['xf', join(lib, jarFile), 'common/message'], { cwd: out, stdio: 'inherit' });
}

/**
 * The old versions Kafka 4 removed (KIP-896), which kafkalite keeps serving, are checked against
 * the last release that defined them: kafka-clients 3.9.1's common/message/*.json, fetched with
 * Maven (dependency:copy) and extracted into test/jvm/.cache/kafka-clients-3.9.1.
 */
function resolveOldMessageSpecs() {
  const out = join(cache, 'kafka-clients-3.9.1');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  execFileSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      join(here, 'pom.xml'),
      `-Dmaven.repo.local=${join(cache, 'm2')}`,
      'dependency:copy',
      '-Dartifact=org.apache.kafka:kafka-clients:3.9.1',
      `-DoutputDirectory=${out}`,
    ],
    { stdio: 'inherit' },
  );
  execFileSync('jar', ['xf', join(out, 'kafka-clients-3.9.1.jar'), 'common/message'], { cwd: out, stdio: 'inherit' });
}

/**
 * The coordinators' record schemas (`__consumer_offsets`, `__share_group_state`,
 * `__transaction_state` keys and values) as Kafka writes them: test/jvm/programs/DumpMessageSchemas.java
 * prints the wire schemas of the coordinator jars' generated classes, version by version, into
 * test/jvm/.cache/coordinator-record-schemas.json for test/unit/record-schemas.test.ts (the jars
 * also carry the JSON definitions; the classes give the exact layouts, tagged sections included).
 */
function dumpRecordSchemas() {
  const classes = [];
  for (const jar of ['group-coordinator', 'share-coordinator', 'transaction-coordinator']) {
    const listing = execFileSync('jar', ['tf', join(lib, `kafka-${jar}-4.4.0.jar`)], { encoding: 'utf8' });
    for (const m of listing.matchAll(/^(org\/apache\/kafka\/coordinator\/\w+\/generated\/\w+(?:Key|Value))\.class$/gm))
      classes.push(m[1].replaceAll('/', '.'));
  }
  const json = execFileSync('java', ['-cp', `${lib}/*`, join(here, 'programs', 'DumpMessageSchemas.java'), ...classes.sort()], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  writeFileSync(KAFKA_RECORD_SCHEMAS, json);
}

/** Where the coordinators' record schemas are, once dumped (see dumpRecordSchemas). */
export const KAFKA_RECORD_SCHEMAS = join(cache, 'coordinator-record-schemas.json');

/** Where kafka-clients 3.9.1's message JSON files are, once resolved. */
export const KAFKA_39_MESSAGE_SPECS = join(cache, 'kafka-clients-3.9.1', 'common', 'message');

/** Where the kafka-clients 4.4.0 message JSON files are, once resolved. */
export const KAFKA_MESSAGE_SPECS = join(cache, 'kafka-clients', 'common', 'message');

/**
 * Apache Avro for the Schema Registry test (test/jvm/programs/AvroRegistry.java), kept apart from
 * Kafka's jars so adding it re-resolves nothing: the avro jar alone (its Jackson and slf4j are
 * Kafka's), fetched with Maven's dependency:copy into test/jvm/.cache-avro/lib once.
 */
export const AVRO_VERSION = '1.12.2';
const avroLib = join(here, '.cache-avro', 'lib');

export function resolveAvroJars() {
  const jar = join(avroLib, `avro-${AVRO_VERSION}.jar`);
  if (existsSync(jar)) return `${avroLib}/*`;
  ensureJvmTools();
  execFileSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      join(here, 'pom.xml'),
      `-Dmaven.repo.local=${join(here, '.cache-avro', 'm2')}`,
      'dependency:copy',
      `-Dartifact=org.apache.avro:avro:${AVRO_VERSION}`,
      `-DoutputDirectory=${avroLib}`,
    ],
    { stdio: 'inherit' },
  );
  return `${avroLib}/*`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(resolveKafkaJars());
  console.log(resolveAvroJars());
}
