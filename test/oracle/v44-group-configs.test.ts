// `kafka-configs --entity-type groups` (Kafka 4.4's ConfigCommand, run from its jars) against
// Apache Kafka 4.4.0 and kafkalite side by side: --alter --add-config / --delete-config, the
// refusals (out of the broker's bounds, an unknown name) and --describe (dynamic only, and
// --all) print the same text on both, ports aside. The wire-level answers are compared in
// test/oracle/scenarios/group-configs.ts.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { startKafka, type RealKafka } from '../jvm/kafka.js';
import { kafkaTool } from '../jvm/tools.js';

const T = { timeout: 120_000 };
let kafka: RealKafka;
let broker: Broker;

before(async () => {
  [kafka, broker] = await Promise.all([startKafka(), startBroker({})]);
});
after(async () => {
  await Promise.all([kafka?.stop(), broker?.stop()]);
});

/** What a tool run prints: exit code, stdout, and the exception line of stderr (its stack and the ports aside). */
async function configs(bootstrap: string, args: string[]): Promise<string> {
  const r = await kafkaTool('kafka-configs', ['--bootstrap-server', bootstrap, ...args, '--entity-type', 'groups', '--entity-name', 'cg']);
  const error = r.stderr.split('\n').find((l) => l.includes('Exception:')) ?? '';
  return `[${r.code}] ${r.stdout}${error}`.replaceAll(bootstrap, '<bootstrap>');
}

/** --describe until `want` shows (Kafka's broker applies a committed config change a moment later). */
async function describeUntil(bootstrap: string, want: RegExp, args = ['--describe']): Promise<string> {
  let out = '';
  for (let i = 0; i < 20; i++) {
    out = await configs(bootstrap, args);
    if (want.test(out)) return out;
    await new Promise((r) => setTimeout(r, 250));
  }
  return out;
}

test('kafka-configs --entity-type groups: alter, describe, refusals and --all print as with Kafka 4.4', T, async () => {
  const out: Record<string, string[]> = { kafka: [], kafkalite: [] };
  for (const [side, bootstrap] of [
    ['kafka', kafka.bootstrap],
    ['kafkalite', broker.bootstrap],
  ] as const) {
    const log = out[side]!;
    log.push(
      await configs(bootstrap, ['--alter', '--add-config', 'consumer.session.timeout.ms=50000,consumer.heartbeat.interval.ms=6000']),
    );
    log.push(await describeUntil(bootstrap, /consumer.heartbeat.interval.ms=6000/));
    log.push(await configs(bootstrap, ['--alter', '--add-config', 'consumer.session.timeout.ms=1000']));
    log.push(await configs(bootstrap, ['--alter', '--add-config', 'nope=1']));
    log.push(await configs(bootstrap, ['--alter', '--delete-config', 'consumer.heartbeat.interval.ms']));
    log.push(await describeUntil(bootstrap, /consumer.heartbeat.interval.ms=5000/, ['--describe', '--all']));
  }
  assert.deepEqual(out.kafkalite, out.kafka);
  // And the text is what a user would expect, so that a common breakage cannot pass unnoticed.
  assert.equal(out.kafkalite[0], '[0] Completed updating config for group cg.\n');
  assert.match(
    out.kafkalite[1]!,
    /consumer.session.timeout.ms=50000 sensitive=false synonyms=\{DYNAMIC_GROUP_CONFIG:consumer.session.timeout.ms=50000, DEFAULT_CONFIG:group.consumer.session.timeout.ms=45000\}/,
  );
  assert.match(
    out.kafkalite[2]!,
    /^\[1\] .*InvalidConfigurationException: consumer.session.timeout.ms must be in the range 45000 to 60000 inclusive\./s,
  );
  assert.match(out.kafkalite[5]!, /All configs for group cg are:\n/);
});
