// SCRAM credentials outlive a restart: AlterUserScramCredentials on a disk broker writes
// kafkalite-scram-credentials.json in the data directory (Kafka keeps them in its metadata log);
// after a restart kafkajs and kcat (librdkafka) authenticate with them and Describe still lists them.

import assert from 'node:assert/strict';
import { pbkdf2Sync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker } from '../../broker/index.js';
import { SCRAM_CREDENTIALS_FILE } from '../../broker/security/scram-credentials.js';
import { AlterUserScramCredentials, DescribeUserScramCredentials } from '../../protocol/messages/index.js';
import { hasCommand, requireTool, run, tempDir } from './helpers.js';
import { WireClient } from './wire-client.js';

const options = (dataDir: string) => ({
  dataDir,
  listeners: [{ name: 'PLAINTEXT' }, { name: 'SASL_PLAINTEXT', protocol: 'SASL_PLAINTEXT' as const }],
  config: { 'sasl.enabled.mechanisms': 'SCRAM-SHA-256,SCRAM-SHA-512' },
  topics: { t: 1 },
});

test('SCRAM credentials persist across a restart of a disk broker', async () => {
  requireTool(() => hasCommand('kcat'), 'kcat');
  const dir = tempDir('kafkalite-scram-');
  try {
    let broker = await startBroker(options(dir.path));
    const admin = await WireClient.connect(broker.listeners[0]!.bootstrap);
    const salt = Buffer.from('0123456789abcdef');
    const r = await admin.send(AlterUserScramCredentials, 0, {
      deletions: [],
      upsertions: [
        { name: 'carol', mechanism: 1, iterations: 8192, salt, saltedPassword: pbkdf2Sync('carol-secret', salt, 8192, 32, 'sha256') },
        { name: 'dave', mechanism: 2, iterations: 4096, salt, saltedPassword: pbkdf2Sync('dave-secret', salt, 4096, 64, 'sha512') },
      ],
    });
    assert.deepEqual(
      r.results.map((x) => x.errorCode),
      [0, 0],
    );
    await admin.close();
    await broker.stop();
    const file = join(dir.path, SCRAM_CREDENTIALS_FILE);
    assert.ok(existsSync(file));
    assert.doesNotMatch(readFileSync(file, 'utf8'), /carol-secret/);

    broker = await startBroker(options(dir.path));
    try {
      const plain = await WireClient.connect(broker.listeners[0]!.bootstrap);
      const d = await plain.send(DescribeUserScramCredentials, 0, { users: null });
      await plain.close();
      assert.deepEqual(d.results.map((x) => [x.user, x.credentialInfos.map((c) => [c.mechanism, c.iterations])]).sort(), [
        ['carol', [[1, 8192]]],
        ['dave', [[2, 4096]]],
      ]);
      const sasl = broker.listeners[1]!.bootstrap;
      const kafka = new Kafka({
        brokers: [sasl],
        sasl: { mechanism: 'scram-sha-256', username: 'carol', password: 'carol-secret' },
        logLevel: logLevel.NOTHING,
      });
      const p = kafka.producer();
      await p.connect();
      await p.send({ topic: 't', messages: [{ value: 'after-restart' }] });
      await p.disconnect();
      const kcat = await run('kcat', [
        '-b',
        sasl,
        '-X',
        'security.protocol=SASL_PLAINTEXT',
        '-X',
        'sasl.mechanism=SCRAM-SHA-512',
        '-X',
        'sasl.username=dave',
        '-X',
        'sasl.password=dave-secret',
        '-C',
        '-t',
        't',
        '-o',
        'beginning',
        '-c',
        '1',
        '-e',
      ]);
      assert.equal(kcat.code, 0, kcat.stderr);
      assert.equal(kcat.stdout.trim(), 'after-restart');
    } finally {
      await broker.stop();
    }
  } finally {
    dir.remove();
  }
});
