// pino logs: pretty and coloured on a TTY, JSON lines otherwise. In-process brokers are
// silent unless asked (tests should not print), the CLI logs at info.

import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import type Pretty from 'pino-pretty';

export type { Logger };

export function createLogger(opts: { level?: string; pretty?: boolean; name?: string } = {}): Logger {
  const level = opts.level ?? 'info';
  const base = { name: opts.name ?? 'kafkalite', level };
  if (opts.pretty ?? process.stdout.isTTY) {
    // pino-pretty (CommonJS) only for a terminal: a CLI whose output is piped never loads it.
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof Pretty;
    return pino(base, pretty({ sync: true, colorize: true, ignore: 'pid,hostname,name', translateTime: 'SYS:HH:MM:ss.l' }));
  }
  return pino(base);
}

/**
 * Where a silent logger writes should its level be raised (PUT /api/v1/log-level, a
 * BROKER_LOGGER config): stdout, as pino's default, but without the SonicBoom pino would build
 * for it, which registers itself for process exit (on-exit-leak-free) and is never closed: one
 * more registration per startBroker(), kept by that module (test/bench/testkit-bench.ts cycles).
 * process.stdout writes synchronously on Linux (files, pipes, terminals): nothing to flush at exit.
 */
const stdout = { write: (line: string) => process.stdout.write(line) };

export function silentLogger(): Logger {
  return pino({ level: 'silent' }, stdout);
}
