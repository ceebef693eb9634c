// startBroker()'s options refuse names they do not know, with the nearest valid one (in
// process, through `kafkalite test-server --options` / --override, and through the presets'
// KAFKALITE_OPTIONS); Kafka config keys close to a real one are taken for typos, while keys
// Kafka knows but kafkalite does not serve, and keys far from any name, still pass.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { describe, test } from 'node:test';
import { startBroker, type BrokerOptions } from '../../broker/index.js';
import { optionsFromEnv } from '../../broker/presets/shared.js';
import { KAFKA_BROKER_CONFIG_NAMES } from '../../config/kafka-broker-config-names.js';
import { ConfigError } from '../../protocol/errors.js';
import { JAVA_PROGRAMS, javaOk } from '../jvm/kafka.js';
import { REPO_ROOT, run } from './helpers.js';

const BIN = join(REPO_ROOT, 'dist', 'bin', 'kafkalite.js');

async function refused(options: unknown, message: string): Promise<void> {
  await assert.rejects(startBroker(options as BrokerOptions), (err: Error) => {
    assert.ok(err instanceof ConfigError, `a ConfigError, got ${err.name}: ${err.message}`);
    assert.equal(err.message, message);
    return true;
  });
}

describe('startBroker() options by name', () => {
  test('an unknown top-level option names the option meant', async () => {
    await refused({ configs: { 'num.partitions': 3 } }, "startBroker: unknown option 'configs' (did you mean 'config'?)");
    await refused({ datadri: '/tmp/x' }, "startBroker: unknown option 'datadri' (did you mean 'dataDir'?)");
    await refused({ autocreatetopics: false }, "startBroker: unknown option 'autocreatetopics' (did you mean 'autoCreateTopics'?)");
  });

  test('an option far from every name lists the valid ones', async () => {
    await assert.rejects(
      startBroker({ banana: 1 } as BrokerOptions),
      /^ConfigError: startBroker: unknown option 'banana' \(valid: port, host, listeners, nodePorts, security, .*strictFaults, schemaRegistry, schemas\)$/,
    );
  });

  test('nested shapes: a topic spec, its configs, http, apiVersions, clock', async () => {
    await refused(
      { topics: { orders: { partitions: 3, config: { 'retention.ms': '1000' } } } },
      "startBroker: unknown option 'topics.orders.config' (did you mean 'topics.orders.configs'?)",
    );
    await refused(
      { topics: { orders: { partitions: 3, configs: { 'retention.msec': '1000' } } } },
      "startBroker: unknown topic config 'retention.msec' in topics.orders.configs (did you mean 'retention.ms'?)",
    );
    await refused({ http: { prot: 0 } }, "startBroker: unknown option 'http.prot' (did you mean 'http.port'?)");
    await refused({ apiVersions: { Fecth: 11 } }, "startBroker: unknown API 'Fecth' in apiVersions (did you mean 'Fetch'?)");
    await refused({ clock: 'virtaul' }, "startBroker: clock must be 'system' or 'virtual', got 'virtaul' (did you mean 'virtual'?)");
    await refused([], 'startBroker: expected an object of options');
  });

  test('a Kafka config key close to a real one is a typo; Kafka keys kafkalite ignores and far keys pass', async () => {
    await refused(
      { config: { 'num.partiton': 3 } },
      "startBroker: unknown broker config 'num.partiton' in config (did you mean 'num.partitions'?)",
    );
    await refused(
      { config: { 'auto.create.topic.enable': false } },
      "startBroker: unknown broker config 'auto.create.topic.enable' in config (did you mean 'auto.create.topics.enable'?)",
    );
    // process.roles is Kafka's (not served here); super.users belongs to the authorizer plugin.
    const broker = await startBroker({
      config: { 'process.roles': 'broker,controller', 'super.users': 'User:admin', 'num.partitions': 2 },
      topics: { t: { partitions: 2, configs: { 'retention.ms': '60000' } } },
      http: false,
      apiVersions: { Fetch: 11 },
    });
    try {
      assert.equal(broker.config.int('num.partitions'), 2);
      assert.equal(broker.core.topics.get('t')!.partitions.length, 2);
    } finally {
      await broker.stop();
    }
  });

  test('the types refuse unknown keys in object literals', () => {
    // Compile-time checks: tsc fails the build if any of these stops being an error.
    const typed = (o: BrokerOptions) => o;
    // @ts-expect-error -- 'configs' is not an option (config is)
    typed({ configs: {} });
    // @ts-expect-error -- a topic spec has configs, not config
    typed({ topics: { t: { partitions: 1, config: {} } } });
    // @ts-expect-error -- http has port, host, processMetrics
    typed({ http: { prot: 1 } });
    assert.ok(true);
  });

  test('testKit: false (the CLI) serves without a test kit; its members throw', async () => {
    const broker = await startBroker({ testKit: false, topics: { t: 1 } });
    try {
      for (const use of [() => broker.faults, () => broker.waitFor, () => broker.produce('t', ['v'])]) {
        assert.throws(use, /started with testKit: false/);
      }
      const kafka = new Kafka({ clientId: 'no-kit', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      assert.deepEqual(await admin.listTopics(), ['t']);
      await admin.disconnect();
    } finally {
      await broker.stop();
    }
  });

  test('KAFKALITE_OPTIONS (the presets) is checked the same way', () => {
    assert.throws(
      () => optionsFromEnv({}, { KAFKALITE_OPTIONS: '{"node":3}' }),
      (err: Error) => err.message === "KAFKALITE_OPTIONS: unknown option 'node' (did you mean 'nodes'?)",
    );
    assert.deepEqual(optionsFromEnv({ port: 0 }, { KAFKALITE_OPTIONS: '{"nodes":3}' }), { nodes: 3, port: 0 });
  });

  test("the list of Kafka's broker config names is Kafka 4.4's", async () => {
    const r = await javaOk([join(JAVA_PROGRAMS, 'BrokerConfigNames.java')]);
    assert.deepEqual(r.stdout.trim().split('\n'), [...KAFKA_BROKER_CONFIG_NAMES]);
  });
});

describe('kafkalite test-server --options / --override by name', () => {
  test('an unknown option in --options exits non-zero with the nearest name', async () => {
    const r = await run(process.execPath, [BIN, 'test-server', '--options', '{"topics":{"t":{"config":{}}}}'], { timeoutMs: 20_000 });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /unknown option 'topics\.t\.config' \(did you mean 'topics\.t\.configs'\?\)/);
    assert.equal(r.stdout, '');
  });

  test('a misspelt Kafka key in --override or in --options config exits non-zero', async () => {
    const o = await run(process.execPath, [BIN, 'test-server', '-o', 'log.retention.hour=1'], { timeoutMs: 20_000 });
    assert.equal(o.code, 1, o.stderr);
    assert.match(o.stderr, /unknown broker config 'log\.retention\.hour' \(did you mean 'log\.retention\.hours'\?\)/);
    const j = await run(process.execPath, [BIN, 'test-server', '--options', '{"config":{"num.partiton":3}}'], { timeoutMs: 20_000 });
    assert.equal(j.code, 1, j.stderr);
    assert.match(j.stderr, /unknown broker config 'num\.partiton' in config \(did you mean 'num\.partitions'\?\)/);
  });

  test('valid options start the server (it stops when stdin closes)', async () => {
    const r = await run(
      process.execPath,
      [BIN, 'test-server', '--print-env', '--options', '{"topics":{"t":{"partitions":2,"configs":{"retention.ms":"60000"}}},"http":false}'],
      { timeoutMs: 20_000 },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^KAFKA_BOOTSTRAP=127\.0\.0\.1:\d+\nKAFKALITE_CONTROL=http:/);
  });
});
