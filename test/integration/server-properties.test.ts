// `kafkalite start --config server.properties` with a real Kafka 4.4 configuration (issue 16):
// the KRaft server.properties Kafka ships (test/fixtures/kafka-4.4-server.properties, only its
// ports and log.dirs changed, two directories, a node id and partition count of its own, and a
// misspelt key added) and the one test/jvm/kafka.ts starts Kafka 4.4 with. kafkalite serves on
// the PLAINTEXT listener, keeps data in the first log dir, honours node.id and num.partitions,
// lists the KRaft/controller/threading keys once as ignored and warns about the misspelt key
// with the name meant, instead of failing. startBroker({ config }) keeps refusing a misspelt key.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startBroker } from '../../broker/index.js';
import { KafkaClient } from '../../bin/client/client.js';
import { createTopic } from '../../bin/client/admin.js';
import { freePort } from '../jvm/kafka.js';
import { REPO_ROOT, tempDir } from './helpers.js';

const BIN = join(REPO_ROOT, 'dist', 'bin', 'kafkalite.js');
const SAMPLE = join(REPO_ROOT, 'test', 'fixtures', 'kafka-4.4-server.properties');

/** `kafkalite start --config <file>` (no --port: the file decides); resolves once ready. */
async function startWith(file: string): Promise<{ output: () => string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, 'start', '--config', file, '--http-port', '0', '--no-schema-registry'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (d) => (text += d));
  child.stderr.on('data', (d) => (text += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready:\n${text}`)), 20_000);
    child.stdout.on('data', () => {
      if (text.includes('kafkalite is ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${text}`));
    });
  });
  return {
    output: () => text,
    stop: () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}

function messages(output: string): Array<{ level: number; msg: string }> {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string });
}

describe('kafkalite start --config with a real Kafka 4.4 server.properties', () => {
  test("Kafka's shipped KRaft server.properties: served, honoured where it matters, the rest said once", async () => {
    const dir = tempDir();
    try {
      const [port, controllerPort] = [await freePort(), await freePort()];
      const [first, second] = [join(dir.path, 'logs-a'), join(dir.path, 'logs-b')];
      const text = readFileSync(SAMPLE, 'utf8')
        .replaceAll(':9092', `:${port}`)
        .replaceAll(':9093', `:${controllerPort}`)
        .replace('log.dirs=/tmp/kraft-combined-logs', `log.dirs=${first},${second}`)
        .replace('node.id=1', 'node.id=3')
        .replace('num.partitions=1', 'num.partitions=3');
      const file = join(dir.path, 'server.properties');
      writeFileSync(file, `${text}\nnum.partitons=2\n`);
      const broker = await startWith(file);
      try {
        const client = await KafkaClient.connect({ bootstrap: `localhost:${port}` });
        try {
          const md = await client.metadata([]);
          assert.deepEqual(
            md.brokers.map((b) => [b.nodeId, b.port]),
            [[3, port]],
          );
          await createTopic(client, 'from-properties', {});
          assert.equal((await client.topic('from-properties')).partitions.length, 3, 'num.partitions');
        } finally {
          client.close();
        }
        const log = messages(broker.output());
        const ignored = log.filter((m) => m.msg.includes('accepted and ignored'));
        assert.equal(ignored.length, 1, 'one line');
        for (const key of [
          'process.roles',
          'controller.quorum.bootstrap.servers',
          'inter.broker.listener.name',
          'num.network.threads',
          'num.io.threads',
          'share.coordinator.state.topic.replication.factor',
        ])
          assert.ok(ignored[0]!.msg.includes(key), `${key} in ${ignored[0]!.msg}`);
        for (const key of ['node.id', 'num.partitions', 'log.dirs', 'listeners']) assert.ok(!ignored[0]!.msg.includes(` ${key},`), key);
        const typo = log.find((m) => m.msg.includes("'num.partitons'"));
        assert.equal(typo?.level, 40, 'a warning');
        assert.match(typo!.msg, /unknown config 'num\.partitons' ignored \(did you mean 'num\.partitions'\?\)/);
        assert.ok(log.some((m) => m.msg.includes(`keeps every partition in the first, ${first}; ${second} is not used`)));
        assert.ok(log.some((m) => m.msg.includes(`controller listener CONTROLLER://:${controllerPort} not opened`)));
      } finally {
        assert.equal(await broker.stop(), 0);
      }
      assert.ok(
        readdirSync(first).some((f) => f.startsWith('from-properties-')),
        'partitions in the first log dir',
      );
      assert.ok(!existsSync(second) || readdirSync(second).length === 0, 'nothing in the second');
    } finally {
      dir.remove();
    }
  });

  test('the configuration test/jvm/kafka.ts starts Kafka 4.4 with, controller listener first', async () => {
    const dir = tempDir();
    try {
      const [port, controllerPort] = [await freePort(), await freePort()];
      const props = {
        'process.roles': 'broker,controller',
        'node.id': 1,
        'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
        listeners: `CONTROLLER://127.0.0.1:${controllerPort},PLAINTEXT://127.0.0.1:${port}`,
        'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
        'controller.listener.names': 'CONTROLLER',
        'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        'inter.broker.listener.name': 'PLAINTEXT',
        'log.dirs': join(dir.path, 'data'),
        'offsets.topic.replication.factor': 1,
        'offsets.topic.num.partitions': 1,
        'transaction.state.log.replication.factor': 1,
        'transaction.state.log.min.isr': 1,
        'share.coordinator.state.topic.replication.factor': 1,
        'share.coordinator.state.topic.min.isr': 1,
        'group.initial.rebalance.delay.ms': 0,
      };
      const file = join(dir.path, 'server.properties');
      writeFileSync(
        file,
        `${Object.entries(props)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n')}\n`,
      );
      const broker = await startWith(file);
      try {
        const client = await KafkaClient.connect({ bootstrap: `127.0.0.1:${port}` });
        try {
          assert.deepEqual(
            (await client.metadata([])).brokers.map((b) => [b.nodeId, b.host, b.port]),
            [[1, '127.0.0.1', port]],
          );
        } finally {
          client.close();
        }
        assert.ok(!messages(broker.output()).some((m) => m.level >= 40), 'no warnings');
      } finally {
        assert.equal(await broker.stop(), 0);
      }
    } finally {
      dir.remove();
    }
  });

  test('startBroker({ config }) still refuses a misspelt key', async () => {
    await assert.rejects(
      startBroker({ config: { 'num.partitons': 2 } }),
      /unknown broker config 'num\.partitons' in config \(did you mean 'num\.partitions'\?\)/,
    );
  });
});
