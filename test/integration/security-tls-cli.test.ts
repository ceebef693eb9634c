// `kafkalite test-server --security mtls --print-env` as a separate process: the env lines name
// the CA and the client certificate; kcat (librdkafka) and confluent-kafka (Debian's python3)
// reach the SSL listener with exactly those; stdin EOF stops it and removes the files.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { hasCommand, hasPythonModule, python, REPO_ROOT, requireTool, run } from './helpers.js';

const BIN = join(REPO_ROOT, 'dist', 'bin', 'kafkalite.js');

test('test-server --security mtls --print-env: clients connect with the printed files', async () => {
  requireTool(() => hasCommand('kcat'), 'kcat');
  requireTool(() => hasPythonModule('confluent_kafka'), 'python3-confluent-kafka');
  const child = spawn(process.execPath, [BIN, 'test-server', '--security', 'mtls', '--print-env', '-t', 'orders'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const env = await new Promise<Record<string, string>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`test-server printed no env in 30 s:\n${out}\n${err}`)), 30_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        const ls = out.split('\n');
        if (ls.length >= 7) {
          clearTimeout(timer);
          resolve(Object.fromEntries(ls.slice(0, 6).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])));
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`test-server exited ${code}:\n${out}\n${err}`));
      });
    });
    assert.deepEqual(Object.keys(env), [
      'KAFKA_BOOTSTRAP',
      'KAFKALITE_CONTROL',
      'KAFKA_SECURITY_PROTOCOL',
      'KAFKA_SSL_CA_LOCATION',
      'KAFKA_SSL_CERTIFICATE_LOCATION',
      'KAFKA_SSL_KEY_LOCATION',
    ]);
    assert.equal(env.KAFKA_SECURITY_PROTOCOL, 'SSL');
    const props = {
      'bootstrap.servers': env.KAFKA_BOOTSTRAP!,
      'security.protocol': env.KAFKA_SECURITY_PROTOCOL!,
      'ssl.ca.location': env.KAFKA_SSL_CA_LOCATION!,
      'ssl.certificate.location': env.KAFKA_SSL_CERTIFICATE_LOCATION!,
      'ssl.key.location': env.KAFKA_SSL_KEY_LOCATION!,
    };
    const x = Object.entries(props).flatMap(([k, v]) => ['-X', `${k}=${v}`]);
    const produced = await run('kcat', [...x, '-P', '-t', 'orders'], { input: 'a\nb\n', timeoutMs: 30_000 });
    assert.equal(produced.code, 0, produced.stderr);
    // Without the client certificate the broker refuses the handshake.
    const refused = await run('kcat', [...x.slice(0, 6), '-L', '-m', '3'], { timeoutMs: 30_000 });
    assert.notEqual(refused.code, 0);
    const values = await python<string[]>(
      String.raw`
import json, sys
from confluent_kafka import Consumer, TopicPartition
c = Consumer(dict(json.loads(sys.argv[1]), **{'group.id': 'g', 'auto.offset.reset': 'earliest'}))
c.assign([TopicPartition('orders', 0, 0)])
out = []
while len(out) < 2:
    m = c.poll(20)
    if m is None: break
    if m.error(): raise Exception(m.error())
    out.append(m.value().decode())
c.close()
print(json.dumps(out))
`,
      JSON.stringify(props),
    );
    assert.deepEqual(values, ['a', 'b']);
    child.stdin.end();
    assert.equal(await exited, 0);
    assert.equal(existsSync(env.KAFKA_SSL_CA_LOCATION!), false, 'the temp files are removed at stop');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
