// Running the single-file Java programs of test/jvm/programs/ (kafka-clients 4.4.0, Kafka
// Streams 4.4) from the java-*.test.ts files: each prints one JSON object per line on stdout;
// a non-zero exit fails the test with the program's output.

import { join } from 'node:path';
import { JAVA_PROGRAMS, java } from '../jvm/kafka.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON printed by the Java programs, checked field by field in the tests
export type Json = Record<string, any>;

/** Runs `java <program>.java <bootstrap> ...args` and returns its JSON lines. */
export async function javaProgram(program: string, bootstrap: string, args: string[], timeoutMs = 120_000): Promise<Json[]> {
  const r = await java([join(JAVA_PROGRAMS, `${program}.java`), bootstrap, ...args], { timeoutMs });
  if (r.code !== 0)
    throw new Error(`${program}.java ${bootstrap} ${args.join(' ')} exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Json);
}

/** The one line whose `key` is `value`. */
export function line(lines: Json[], key: string, value: unknown): Json {
  const found = lines.filter((l) => l[key] === value);
  if (found.length !== 1) throw new Error(`expected one line with ${key}=${String(value)}, got ${found.length}:\n${JSON.stringify(lines)}`);
  return found[0]!;
}
