// A long kill -9 soak (not run by npm test): `node dist/test/soak/crash-soak.js [rounds]`
// (default 200, or SOAK_ROUNDS). Each round SIGKILLs the CLI broker at a random moment of an
// acks=all kafka-python produce and checks every acknowledged record after the restart
// (test/integration/storage-crash-lib.ts). Prints progress; exits 1 on the first failure.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crashRound, newCrashState, startCrashBroker, verify } from '../integration/storage-crash-lib.js';

const rounds = Number(process.argv[2] ?? process.env.SOAK_ROUNDS ?? 200);
const dir = mkdtempSync(join(tmpdir(), 'kafkalite-soak-'));
const state = newCrashState(dir);
const t0 = Date.now();
let broker = await startCrashBroker(state);
let failed = false;
try {
  await verify(broker, state);
  for (let i = 1; i <= rounds; i++) {
    const r = await crashRound(broker, state, { minDelayMs: 0, maxDelayMs: 3000 });
    broker = r.broker;
    console.log(
      `round ${i}/${rounds}: ${r.acked} acknowledged, ${r.end} records stored, ${state.truncations.length} torn tails so far, ` +
        `${Math.round((Date.now() - t0) / 1000)} s`,
    );
  }
  console.log(
    `ok: ${rounds} rounds, ${state.acked.size} acknowledged records all served; ${state.truncations.length} torn tails truncated`,
  );
} catch (err) {
  failed = true;
  console.error(`FAILED in round ${state.rounds} (data kept in ${dir}):`, err);
} finally {
  await broker.stop();
  if (!failed) rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
