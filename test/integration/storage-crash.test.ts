// kill -9 in the middle of a sustained acks=all produce (issue 3, item 1): the CLI broker is
// SIGKILLed at a random moment while kafka-python produces from another process, ten times on the
// same data directory; after every restart each acknowledged record is served at its offset,
// unchanged, everything served before is still there, and nothing is served past the end.
// A longer run of the same rounds: test/soak/crash-soak.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasCommand, hasPythonModule, requireTool, tempDir } from './helpers.js';
import { crashRound, newCrashState, startCrashBroker, verify } from './storage-crash-lib.js';

test('SIGKILL during acks=all produce loses no acknowledged record (10 rounds)', async () => {
  requireTool(() => hasPythonModule('kafka'), 'python3-kafka');
  requireTool(() => hasCommand('kcat'), 'kcat');
  const dir = tempDir('kafkalite-crash-');
  const state = newCrashState(dir.path);
  let broker = await startCrashBroker(state);
  try {
    assert.equal(await verify(broker, state), 0);
    let acked = 0;
    for (let round = 0; round < 10; round++) {
      const r = await crashRound(broker, state, { minDelayMs: 50, maxDelayMs: 900 });
      broker = r.broker;
      acked += r.acked;
      assert.ok(r.acked > 0, `round ${round}: the producer got acknowledgements`);
      assert.ok(r.end >= Math.max(...state.acked.keys()) + 1);
    }
    assert.equal(state.acked.size, acked, 'no offset was acknowledged twice');
    // A clean stop and start serve the same records.
    assert.equal(await broker.stop(), 0);
    broker = await startCrashBroker(state);
    const end = await verify(broker, state);
    assert.equal(end, state.seen.size);
    if (state.truncations.length > 0)
      console.log(`recovery truncated a torn tail ${state.truncations.length} time(s):\n${state.truncations.join('\n')}`);
  } finally {
    await broker.stop();
    dir.remove();
  }
});
