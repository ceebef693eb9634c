// `kafkalite/node-test/preload`: `node --import kafkalite/node-test/preload --test` starts one
// broker for the whole run, before any test file. On Node 20 the test runner passes --import
// on to the process of every test file; the first process to load this (the runner) starts a
// `kafkalite test-server` child and puts KAFKA_BOOTSTRAP / KAFKALITE_CONTROL in its env, which
// the test-file processes inherit, so they find the variables set and start nothing.
//
// The server is a child process tied to this one by its stdin: when the runner exits, the pipe
// closes and the server stops; nothing here keeps the runner alive. Broker options:
// KAFKALITE_OPTIONS (JSON, startBroker() options). Read the address with sharedBroker() from
// kafkalite/node-test.

import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENV_BOOTSTRAP, ENV_CONTROL, ENV_OPTIONS } from './env.js';

const CHILD_MARK = 'KAFKALITE_PRELOAD_SERVER';

async function startServer(): Promise<void> {
  const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'kafkalite.js');
  const args = [bin, 'test-server', '--print-env'];
  if (process.env[ENV_OPTIONS]) args.push('--options', process.env[ENV_OPTIONS]!);
  const env: NodeJS.ProcessEnv = { ...process.env, [CHILD_MARK]: '1' };
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'], env });
  let out = '';
  const vars = await new Promise<{ bootstrap: string; control: string }>((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`kafkalite/node-test/preload: the test server exited (${code}) before it was ready:\n${out}`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      const b = new RegExp(`^${ENV_BOOTSTRAP}=(.+)$`, 'm').exec(out);
      const c = new RegExp(`^${ENV_CONTROL}=(.+)$`, 'm').exec(out);
      if (b && c) {
        child.off('exit', onExit);
        resolve({ bootstrap: b[1]!, control: c[1]! });
      }
    });
  });
  process.env[ENV_BOOTSTRAP] = vars.bootstrap;
  process.env[ENV_CONTROL] = vars.control;
  // Let this process exit when its work is done: the child, its stdout and the idle stdin pipe
  // hold no reference on the event loop. Our exit closes the pipe, which stops the server.
  child.stdout.destroy();
  child.unref();
  (child.stdin as unknown as { _handle?: { unref?(): void } })._handle?.unref?.();
}

if (!process.env[CHILD_MARK] && !(process.env[ENV_BOOTSTRAP] && process.env[ENV_CONTROL])) {
  await startServer();
}
