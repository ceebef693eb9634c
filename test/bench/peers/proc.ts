// A long-running peer process: spawn, keep the tail of its output, wait for a line, stop.

import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const MAX_OUTPUT = 128 * 1024;

export interface PeerProcess {
  child: ChildProcess;
  output(): string;
  exited(): boolean;
  /** Resolves with the first match of `re` in the output; rejects on exit or timeout. */
  waitFor(re: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** `signal`, then SIGKILL after `graceMs`; resolves on exit. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export function spawnPeer(cmd: string, args: string[], opts: SpawnOptions = {}): PeerProcess {
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], ...opts });
  let text = '';
  const listeners = new Set<() => void>();
  const append = (d: Buffer) => {
    text += d.toString();
    if (text.length > MAX_OUTPUT) text = text.slice(-MAX_OUTPUT);
    for (const l of listeners) l();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let gone = false;
  const exitedP = new Promise<void>((resolve) =>
    child.once('exit', () => {
      gone = true;
      for (const l of listeners) l();
      resolve();
    }),
  );
  child.once('error', (e) => {
    text += `\nspawn ${cmd}: ${e.message}`;
    gone = true;
    for (const l of listeners) l();
  });
  return {
    child,
    output: () => text,
    exited: () => gone,
    waitFor(re, timeoutMs) {
      return new Promise((resolve, reject) => {
        const done = () => {
          listeners.delete(check);
          clearTimeout(timer);
        };
        const check = () => {
          const m = re.exec(text);
          if (m) {
            done();
            resolve(m);
          } else if (gone) {
            done();
            reject(new Error(`${cmd} exited before printing ${re}:\n${text.slice(-4000)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${cmd} did not print ${re} within ${timeoutMs} ms:\n${text.slice(-4000)}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM', graceMs = 20_000) {
      if (!gone) {
        child.stdin?.end();
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exitedP;
        clearTimeout(timer);
      }
    },
  };
}
