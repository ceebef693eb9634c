// examples/jest run by jest with two workers: `preset: 'kafkalite'` (kafkalite/jest-preset)
// starts one broker in globalSetup, the workers find it in process.env, globalTeardown stops it.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from './helpers.js';
import { linkExample, runRunner, scratch } from './presets-helpers.js';

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
    const r = await runRunner(dir, [
      jest,
      '--ci',
      '--maxWorkers=2',
      `--cacheDirectory=${out.file('cache')}`,
      '--json',
      `--outputFile=${out.file('result.json')}`,
    ]);
    assert.equal(r.code, 0, `jest failed:\n${r.stdout}\n${r.stderr}`);
    const result = JSON.parse(out.read('result.json')) as JestJson;
    assert.equal(result.success, true);
    assert.equal(result.numFailedTests, 0);
    assert.equal(result.numTotalTests, 4);
    assert.equal(result.numPassedTests, 4);
    assert.equal(result.numTotalTestSuites, 2);
    assert.deepEqual(result.testResults.map((f) => f.name.slice(dir.length + 1)).sort(), ['tests/faults.test.js', 'tests/orders.test.js']);
    assert.doesNotMatch(r.stderr, /failed to exit gracefully/, 'globalTeardown stopped everything');
  } finally {
    out.remove();
  }
});
