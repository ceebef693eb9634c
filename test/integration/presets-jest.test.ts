// examples/jest run by jest with two workers: `preset: 'kafkalite'` (kafkalite/jest-preset)
// starts one broker in globalSetup, the workers find it in process.env, globalTeardown stops it.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from './helpers.js';
import { linkExample, runRunner, scratch } from './presets-helpers.js';

/** Records what is open in each jest worker when jest ends it (test/integration/jest-worker-exit.cjs). */
const WORKER_EXIT_PROBE = join(REPO_ROOT, 'test', 'integration', 'jest-worker-exit.cjs');

interface JestJson {
  success: boolean;
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numTotalTestSuites: number;
  testResults: Array<{ name: string; status: string }>;
}

test('examples/jest passes under jest with parallel workers', async () => {
  const dir = linkExample('jest');
  const out = scratch('kafkalite-jest-');
  try {
    const jest = join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
    // A fresh cache: with no timings from earlier runs jest uses its workers rather than running in band.
    const r = await runRunner(
      dir,
      [jest, '--ci', '--maxWorkers=2', `--cacheDirectory=${out.file('cache')}`, '--json', `--outputFile=${out.file('result.json')}`],
      undefined,
      { NODE_OPTIONS: `--require=${WORKER_EXIT_PROBE}`, JEST_EXIT_OUT: out.file('worker-exit.jsonl') },
    );
    assert.equal(r.code, 0, `jest failed:\n${r.stdout}\n${r.stderr}`);
    const result = JSON.parse(out.read('result.json')) as JestJson;
    assert.equal(result.success, true);
    assert.equal(result.numFailedTests, 0);
    assert.equal(result.numTotalTests, 4);
    assert.equal(result.numPassedTests, 4);
    assert.equal(result.numTotalTestSuites, 2);
    assert.deepEqual(result.testResults.map((f) => f.name.slice(dir.length + 1)).sort(), ['tests/faults.test.js', 'tests/orders.test.js']);
    // Nothing of the preset's, the clients' or the tests' left open in a test worker when jest ends it: only stdio
    // pipes keep a loop alive there. Not jest's "failed to exit gracefully", which is a 500 ms wall-clock limit on the
    // worker's exit that a loaded machine exceeds with nothing open (jest-worker-exit.cjs). The broker lives in jest's
    // own process (globalSetup): had globalTeardown not stopped it, jest would not have exited and runRunner timed out.
    const workers = out
      .read('worker-exit.jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { worker: string; active: string[] })
      .filter((w) => w.worker.endsWith(join('jest-runner', 'build', 'testWorker.js')));
    assert.equal(workers.length, 2, 'both test workers reported');
    for (const w of workers)
      assert.deepEqual(
        w.active.filter((a) => a !== 'PipeWrap' && a !== 'TTYWrap'),
        [],
        'open in a test worker at its end',
      );
  } finally {
    out.remove();
  }
});
