// examples/node-test run by node's test runner, two files in parallel processes: the
// --import kafkalite/node-test/preload shared broker (a test-server child tied to the runner)
// and useBroker(t). After the run the shared broker is gone.

import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { linkExample, runRunner } from './presets-helpers.js';

function refused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

test('examples/node-test passes under node --test with parallel files; the shared broker stops with the run', async () => {
  const dir = linkExample('node-test');
  const r = await runRunner(dir, ['--import', 'kafkalite/node-test/preload', '--test', '--test-concurrency=2', '--test-reporter=spec']);
  assert.equal(r.code, 0, `node --test failed:\n${r.stdout}\n${r.stderr}`);
  const count = (name: string) => Number(new RegExp(`^ℹ ${name} (\\d+)$`, 'm').exec(r.stdout)?.[1]);
  assert.equal(count('tests'), 4, r.stdout);
  assert.equal(count('pass'), 4, r.stdout);
  assert.equal(count('fail'), 0, r.stdout);
  assert.match(r.stdout, /✔ the previous test broker was stopped when its test ended/);
  const shared = /shared broker ([\d.]+):(\d+)/.exec(r.stdout);
  assert.ok(shared, `the shared test printed its broker:\n${r.stdout}`);
  // The runner has exited; its test-server child stops when its stdin pipe closes.
  let gone = false;
  for (let i = 0; i < 100 && !gone; i++) {
    gone = await refused(shared[1]!, Number(shared[2]));
    if (!gone) await new Promise((res) => setTimeout(res, 50));
  }
  assert.equal(gone, true, 'the shared broker stopped after the run');
});
