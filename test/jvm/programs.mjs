#!/usr/bin/env node
// The single-file Java programs of test/jvm/programs/, compiled once: `java Program.java` (the source launcher, JEP 330)
// compiles the file in memory at every run, about a second of CPU on these 2-core machines before the program starts
// (BrokerConfigNames: 1.9-2.1 s from source, 1.0-1.2 s from its class). One JVM (CompilePrograms.java) compiles each
// into test/jvm/.cache/programs/<hash>/<Program> (the hash of every source, the jars' stamp and the java binary), and
// test/jvm/kafka.ts's java() runs `Program.java` as the class `Program` from there. test/run.mjs compiles them while Biome and tsc run;
// a single test file run by hand compiles them at its first Java program. A program that does not compile against the
// Kafka jars alone (AvroRegistry.java needs Avro's) is left out, and java() runs it from source as before.
//
//   node test/jvm/programs.mjs     compile now (nothing to do when the directory exists); prints it

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const SOURCES = join(here, 'programs');
const LIB = join(here, '.cache', 'lib');
const STAMP = join(here, '.cache', 'lib.stamp');

function sources() {
  return existsSync(SOURCES)
    ? readdirSync(SOURCES)
        .filter((f) => f.endsWith('.java'))
        .sort()
    : [];
}

/** The directory the programs' classes are (or would be) compiled to. */
export function programsDir() {
  const h = createHash('sha256');
  for (const f of sources()) h.update(`${f}\n`).update(readFileSync(join(SOURCES, f)));
  h.update(readFileSync(join(here, 'CompilePrograms.java')));
  h.update(existsSync(STAMP) ? readFileSync(STAMP) : '');
  try {
    h.update(realpathSync(spawnSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).stdout.trim()));
  } catch {}
  return join(here, '.cache', 'programs', h.digest('hex').slice(0, 16));
}

function java(args) {
  return new Promise((resolve) => {
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    // A compiler stuck for minutes must not hold the tests: they then run the programs from source.
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.stdout.on('data', (d) => (out += d));
    child.on('error', () => resolve({ code: -1, out }));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

let compiling;

/**
 * Compiles the programs unless done; resolves to the directory (a subdirectory per program, and `compiled.txt` listing
 * the programs that compiled), or undefined when java is missing or nothing compiled. Each program is compiled alone,
 * as the source launcher would, by CompilePrograms.java: one JVM for them all. Several test processes may compile at
 * once: each writes a private directory and renames it into place, and a loser's rename fails harmlessly.
 */
export function compilePrograms() {
  compiling ??= (async () => {
    const dir = programsDir();
    if (existsSync(join(dir, 'compiled.txt'))) return dir;
    if (!existsSync(LIB)) return undefined;
    mkdirSync(dirname(dir), { recursive: true });
    const work = mkdtempSync(join(dirname(dir), 'tmp-'));
    try {
      const classes = join(work, 'classes');
      const files = sources().map((f) => join(SOURCES, f));
      const flags = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];
      // javax.tools does not expand a `lib/*` wildcard as the java launcher does: the jars one by one.
      const jars = readdirSync(LIB)
        .filter((f) => f.endsWith('.jar'))
        .map((f) => join(LIB, f));
      const r = await java([...flags, join(here, 'CompilePrograms.java'), classes, jars.join(':'), ...files]);
      const ok = r.out
        .split('\n')
        .filter((l) => l.startsWith('ok '))
        .map((l) => l.slice(3));
      if (ok.length === 0) return undefined;
      writeFileSync(join(classes, 'compiled.txt'), `${ok.join('\n')}\n`);
      try {
        renameSync(classes, dir);
      } catch {}
      return existsSync(join(dir, 'compiled.txt')) ? dir : undefined;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  })().catch(() => undefined);
  return compiling;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log((await compilePrograms()) ?? 'not compiled (no java or no jars)');
}
