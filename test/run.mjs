#!/usr/bin/env node
// `npm test`: make sure the client tools the integration tests drive are installed, type-check
// and build, then run every test file with node's test runner.
//
// Besides Debian's packages it prepares, once, what the other client families need: Apache
// Kafka 4.4.0's jars through Maven (test/jvm/resolve.mjs), the Go modules of the franz-go
// programs (test/go/setup.mjs) and a Python venv with PyPI's clients (test/python/setup.mjs).
//
// Debian packages (kcat, python3-kafka, python3-confluent-kafka, the python codecs, and
// chromium for the web-console tests driven by playwright-core) are
// installed with apt-get when missing and we run as root; otherwise missing ones are
// reported and the tests that need them fail, saying what is missing.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const DEBS = ['kcat', 'python3-kafka', 'python3-confluent-kafka', 'python3-snappy', 'python3-lz4', 'python3-zstandard', 'chromium'];

function missingDebs() {
  return DEBS.filter((p) => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${Status} is dpkg-query's format field, not a template
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

const missing = missingDebs();
if (missing.length > 0) {
  if (process.getuid?.() === 0) {
    console.log(`installing Debian packages: ${missing.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  } else {
    console.warn(`missing Debian packages (run as root to install them): ${missing.join(' ')}`);
  }
}

// The runner presets' example projects (examples/) run under vitest and jest from the repository's node_modules.
if (['typescript', 'vitest', 'jest', 'kafkajs'].some((m) => !existsSync(join(root, 'node_modules', m)))) {
  execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}

// Apache Kafka 4.4.0 (broker, tools, Java client, Streams), Go modules, the Python venv: each
// setup script does nothing when its cache is already in place.
const { resolveKafkaJars, resolveAvroJars } = await import('./jvm/resolve.mjs');
resolveKafkaJars();
resolveAvroJars();
for (const setup of ['go/setup.mjs', 'python/setup.mjs']) {
  const p = join(root, 'test', setup);
  if (existsSync(p)) await (await import(p)).setup();
}

// The JVMs' caches, made on the other core while Biome and tsc run (each nothing to do when in place): the class-data
// sharing archive of Kafka's classes (test/jvm/cds.mjs, ~10 s of CPU; a broker then listens 2-3 s sooner and a tool
// run takes ~40% less CPU) and the programs of test/jvm/programs/ compiled once (test/jvm/programs.mjs, ~5 s of CPU;
// each run then skips the source launcher's compile, about a second).
// Both spawn their JVM before returning a promise: it runs while execFileSync below blocks this process.
const { dumpCdsArchive } = await import('./jvm/cds.mjs');
const { compilePrograms } = await import('./jvm/programs.mjs');
const jvmCaches = Promise.all([dumpCdsArchive().catch(() => undefined), compilePrograms()]);

// Lint and format check first (Biome, biome.json): CI fails on any error or warning.
console.log('lint and format check (biome ci)');
execFileSync(join(root, 'node_modules', '.bin', 'biome'), ['ci', '--error-on-warnings', '--colors=off', '.'], {
  cwd: root,
  stdio: 'inherit',
});

console.log('type-checking and building (tsc)');
// A clean dist/: a renamed or deleted source file must not leave a stale test behind.
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], {
  stdio: 'inherit',
});
// The CLI's bundled entry, as `npm run build` makes it (bin/bundle.ts): the CLI tests run what users get.
execFileSync(process.execPath, [join(root, 'dist', 'bin', 'bundle.js')], { stdio: 'inherit' });

const [cdsArchive, programs] = await jvmCaches;
if (!cdsArchive) console.warn('no CDS archive of the Kafka classes (test/jvm/cds.mjs): the JVMs start without it');
if (!programs) console.warn('the Java programs did not compile (test/jvm/programs.mjs): they run from source');

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return testFiles(p);
    return name.endsWith('.test.js') ? [p] : [];
  });
}
const only = process.argv.slice(2);
const found = ['unit', 'integration', 'oracle']
  .flatMap((d) => testFiles(join(root, 'dist', 'test', d)))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
if (found.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

// Longest first: node's runner starts files in the order given, two at a time, so a slow file started last keeps one core
// busy while the other idles. test/timing/durations.json holds each file's wall time from an earlier run (refreshed with
// KAFKALITE_UPDATE_DURATIONS=1 npm test); files it does not know yet (new ones) go first, as they may well be slow.
const DURATIONS = join(root, 'test', 'timing', 'durations.json');
const known = existsSync(DURATIONS) ? JSON.parse(readFileSync(DURATIONS, 'utf8')).files : {};
const distTest = join(root, 'dist', 'test');
const key = (f) => relative(distTest, f);
const files = found
  .map((f, i) => ({ f, i, ms: known[key(f)] ?? Number.POSITIVE_INFINITY }))
  .sort((a, b) => b.ms - a.ms || a.i - b.i)
  .map((x) => x.f);

// Two files at a time on these 2-core machines; KAFKALITE_TEST_CONCURRENCY=3 tries three (files that mostly wait on
// JVMs, rebalances or Kafka's retries would overlap more), to be measured on an idle machine before it becomes the default.
const concurrency = Number(process.env.KAFKALITE_TEST_CONCURRENCY) || 2;

const record = join(tmpdir(), `kafkalite-test-durations-${process.pid}.jsonl`);
rmSync(record, { force: true });
const reporter = join(root, 'test', 'timing', 'durations-reporter.mjs');
const t0 = Date.now();
const r = spawnSync(
  process.execPath,
  [
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${reporter}`,
    '--test-reporter-destination=stdout',
    ...files,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, KAFKALITE_TEST_DURATIONS: record } },
);
const lines = existsSync(record)
  ? readFileSync(record, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
  : [];
rmSync(record, { force: true });
const slowest = [...lines].sort((a, b) => b.ms - a.ms).slice(0, 5);
console.log(`node --test: ${lines.length} files in ${Math.round((Date.now() - t0) / 1000)} s, ${concurrency} at a time; slowest:`);
for (const l of slowest) console.log(`  ${Math.round(l.ms / 1000)} s  ${key(l.file)}`);
if (process.env.KAFKALITE_UPDATE_DURATIONS === '1' && lines.length > 0) {
  const next = only.length === 0 ? {} : { ...known };
  for (const l of lines) next[key(l.file)] = l.ms;
  const sorted = Object.fromEntries(Object.entries(next).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(
    DURATIONS,
    `${JSON.stringify({ note: 'wall ms per test file, written by KAFKALITE_UPDATE_DURATIONS=1 npm test; test/run.mjs runs the longest first', files: sorted }, null, 2)}\n`,
  );
  console.log(`updated ${relative(root, DURATIONS)}`);
}
process.exit(r.status ?? 1);
