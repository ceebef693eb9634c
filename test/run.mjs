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
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

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

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return testFiles(p);
    return name.endsWith('.test.js') ? [p] : [];
  });
}
const only = process.argv.slice(2);
const files = ['unit', 'integration', 'oracle']
  .flatMap((d) => testFiles(join(root, 'dist', 'test', d)))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
