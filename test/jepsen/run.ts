// `node dist/test/jepsen/run.js [--rounds 50] [--seed 1] [--min-up-ms 1000] [--max-up-ms 4000] [--override key=value ...]`:
// the Jepsen-style checker of ./checker.ts against the CLI broker, SIGKILLed and restarted
// `rounds` times. `--power-cuts 100` runs the power-cut mode instead (./power-cuts.ts: in
// process, memory file system, flush.messages=1). Prints progress, then the table of anomalies;
// exits 1 unless every count is 0.

import { parseArgs } from 'node:util';
import { anomalyCount, DEFAULTS, type JepsenResult, runJepsen, table } from './checker.js';
import { runPowerCuts } from './power-cuts.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: String(DEFAULTS.rounds) },
    seed: { type: 'string', default: String(DEFAULTS.seed) },
    'min-up-ms': { type: 'string', default: String(DEFAULTS.minUpMs) },
    'max-up-ms': { type: 'string', default: String(DEFAULTS.maxUpMs) },
    override: { type: 'string', multiple: true, default: [] },
    'power-cuts': { type: 'string' },
  },
});

const cuts = values['power-cuts'];
const result: JepsenResult = cuts
  ? await runPowerCuts({ cuts: Number(cuts), seed: Number(values.seed), log: (line) => console.log(line) }).then((r) => ({
      rounds: r.cuts,
      acknowledged: r.acknowledged,
      committedTxnValues: 0,
      abortedTxnValues: 0,
      indeterminate: 0,
      drained: r.drained,
      consumed: r.drained,
      anomalies: r.anomalies,
      clientEvents: r.clientEvents,
      wallMs: r.wallMs,
    }))
  : await runJepsen({
      rounds: Number(values.rounds),
      seed: Number(values.seed),
      minUpMs: Number(values['min-up-ms']),
      maxUpMs: Number(values['max-up-ms']),
      brokerArgs: values.override.flatMap((kv) => ['--override', kv]),
      log: (line) => console.log(line),
    });
if (cuts) console.log(`power cuts (memory file system, flush.messages=1): ${cuts}; the final drain is the only reader`);
console.log(table(result));
const bad = anomalyCount(result.anomalies);
if (bad > 0) {
  for (const [name, list] of Object.entries(result.anomalies)) for (const x of list.slice(0, 10)) console.log(`${name}: ${x}`);
}
process.exit(bad > 0 ? 1 : 0);
