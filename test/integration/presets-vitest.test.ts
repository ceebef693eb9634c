// examples/vitest run by vitest itself with two worker processes: the kafkalite/vitest/setup
// globalSetup (one shared broker, its address and control URL provided to the workers), the
// shared-broker fixture (kafkaTest) and the per-worker fixture that resets between tests.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from './helpers.js';
import { linkExample, runRunner, scratch } from './presets-helpers.js';

interface VitestJson {
  success: boolean;
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numTotalTestSuites: number;
  testResults: Array<{ name: string; status: string; assertionResults: Array<{ title: string; status: string }> }>;
}

test('examples/vitest passes under vitest with parallel workers', async () => {
  const dir = linkExample('vitest');
  const out = scratch('kafkalite-vitest-');
  try {
    const vitest = join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
    const r = await runRunner(dir, [
      vitest,
      'run',
      '--reporter=json',
      `--outputFile=${out.file('result.json')}`,
      '--pool=forks',
      '--poolOptions.forks.maxForks=2',
      '--poolOptions.forks.minForks=2',
    ]);
    assert.equal(r.code, 0, `vitest failed:\n${r.stdout}\n${r.stderr}`);
    const result = JSON.parse(out.read('result.json')) as VitestJson;
    assert.equal(result.success, true);
    assert.equal(result.numFailedTests, 0);
    assert.equal(result.numTotalTests, 7);
    assert.equal(result.numPassedTests, 7);
    const files = result.testResults.map((f) => f.name.slice(dir.length + 1)).sort();
    assert.deepEqual(files, ['tests/orders.test.ts', 'tests/payments.test.ts', 'tests/per-worker.test.ts']);
    const titles = result.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status === 'passed').map((a) => a.title));
    assert.ok(titles.includes('the next test starts after a reset: the topic is gone'));
  } finally {
    out.remove();
  }
});
