// TLS listeners (broker/security/tls.ts) and the test kit's 'mtls' preset
// (broker/security/testkit-tls.ts): one broker with three listeners — SSL (TLS 1.3), TLS12 (an
// SSL listener limited to TLS 1.2 with its own principal mapping rule) and PLAINTEXT — reached
// by kafkajs, kcat (librdkafka), confluent-kafka and kafka-python (venv). Asserts the TLS
// version and the principal kafkalite derived (its 'connection opened' log line), the
// per-listener Metadata, refused handshakes with their logged reason, and a key store reload.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { createCa } from '../../broker/security/testkit-tls.js';
import { memoryLogger } from './http-helpers.js';
import { hasCommand, REPO_ROOT, requireTool, run } from './helpers.js';

const VENV_PYTHON = join(REPO_ROOT, 'test', 'python', '.venv', 'bin', 'python');

/** Waits (polling, wall time: socket and file events) until `check` holds, or fails after `ms`. */
async function until<T>(what: string, check: () => T | undefined | false, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function venv(script: string, args: string[]): Promise<unknown> {
  const r = await run(VENV_PYTHON, ['-c', script, ...args], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`python exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!);
}

describe('mtls preset: SSL (TLS 1.3), TLS12 and PLAINTEXT listeners', () => {
  let broker: Broker;
  const logs = memoryLogger('info');
  const opened = () => logs.lines().filter((l) => l.msg === 'connection opened');
  const listener = (name: string) => broker.listeners.find((l) => l.name === name)!;

  before(async () => {
    broker = await startBroker({
      security: 'mtls',
      logger: logs.logger,
      topics: { orders: 1 },
      config: {
        listeners: 'SSL://127.0.0.1:0,TLS12://127.0.0.1:0,PLAINTEXT://127.0.0.1:0',
        'listener.security.protocol.map': 'SSL:SSL,TLS12:SSL,PLAINTEXT:PLAINTEXT',
        'listener.name.tls12.ssl.enabled.protocols': 'TLSv1.2',
        'listener.name.tls12.ssl.principal.mapping.rules': 'RULE:^CN=(.*?),OU=(.*?),O=(.*)$/$1@$3/U,DEFAULT',
      },
    });
  });
  after(() => broker?.stop());

  test('broker.security and clientConfig hand out the CA and the client certificate', () => {
    const s = broker.security!;
    assert.equal(s.preset, 'mtls');
    assert.match(s.caPem, /BEGIN CERTIFICATE/);
    assert.equal(s.client!.principal, 'User:CN=client,OU=test,O=kafkalite');
    assert.deepEqual(broker.clientConfig('librdkafka'), {
      'bootstrap.servers': listener('SSL').bootstrap,
      'security.protocol': 'ssl',
      'ssl.ca.location': s.caFile,
      'ssl.certificate.location': s.client!.certFile,
      'ssl.key.location': s.client!.keyFile,
    });
    assert.equal(broker.clientConfig('kafka-python').security_protocol, 'SSL');
    assert.equal(broker.clientConfig('java')['ssl.truststore.location'], s.caFile);
  });

  test('kafkajs produces and consumes over TLS 1.3 with its client certificate as principal', async () => {
    const kafka = new Kafka({ ...broker.clientConfig('kafkajs'), clientId: 'tls-kafkajs', logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'orders', messages: [{ value: 'over-tls' }] });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets('orders');
    await admin.disconnect();
    assert.equal(offsets[0]!.high, '1');
    const ssl = opened().filter((l) => l.listener === 'SSL');
    assert.ok(ssl.length > 0);
    for (const l of ssl) {
      assert.equal(l.tls, 'TLSv1.3');
      assert.equal(l.principal, 'User:CN=client,OU=test,O=kafkalite');
    }
  });

  test('kcat on the TLS 1.2 listener: its addresses in Metadata, TLS 1.2, the mapped principal', async () => {
    requireTool(() => hasCommand('kcat'), 'kcat');
    const before = opened().length;
    const cfg = { ...broker.clientConfig('librdkafka'), 'bootstrap.servers': listener('TLS12').bootstrap };
    const args = Object.entries(cfg).flatMap(([k, v]) => ['-X', `${k}=${v}`]);
    const r = await run('kcat', [...args, '-L', '-J'], { timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.stderr);
    const md = JSON.parse(r.stdout) as { brokers: Array<{ name: string }> };
    assert.deepEqual(
      md.brokers.map((b) => b.name),
      [listener('TLS12').bootstrap],
    );
    const mine = opened().slice(before);
    assert.ok(mine.length > 0);
    for (const l of mine) {
      assert.equal(l.listener, 'TLS12');
      assert.equal(l.tls, 'TLSv1.2');
      // RULE:^CN=(.*?),OU=(.*?),O=(.*)$/$1@$3/U on CN=client,OU=test,O=kafkalite
      assert.equal(l.principal, 'User:CLIENT@KAFKALITE');
    }
  });

  test('confluent-kafka and kafka-python (venv) over TLS 1.3 and TLS 1.2', async () => {
    const script = String.raw`
import json, sys
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient
from kafka import KafkaConsumer, TopicPartition
cfg = json.loads(sys.argv[1]); py = json.loads(sys.argv[2]); out = {}
for name, boot in (('SSL', sys.argv[3]), ('TLS12', sys.argv[4])):
    c = dict(cfg, **{'bootstrap.servers': boot})
    p = Producer(c); p.produce('orders', value=('ck-' + name).encode()); assert p.flush(30) == 0
    md = AdminClient(c).list_topics(timeout=30)
    k = dict(py, bootstrap_servers=boot)
    cons = KafkaConsumer(**k, consumer_timeout_ms=30000)
    tp = TopicPartition('orders', 0); cons.assign([tp]); cons.seek_to_beginning(tp)
    end = cons.end_offsets([tp])[tp]; values = []
    for m in cons:
        values.append(m.value.decode())
        if m.offset + 1 >= end: break
    cons.close()
    out[name] = {'brokers': sorted('%s:%d' % (b.host, b.port) for b in md.brokers.values()), 'values': values}
print(json.dumps(out))
`;
    const before = opened().length;
    const res = (await venv(script, [
      JSON.stringify(broker.clientConfig('librdkafka')),
      JSON.stringify(broker.clientConfig('kafka-python')),
      listener('SSL').bootstrap,
      listener('TLS12').bootstrap,
    ])) as Record<string, { brokers: string[]; values: string[] }>;
    assert.deepEqual(res.SSL!.brokers, [listener('SSL').bootstrap]);
    assert.deepEqual(res.TLS12!.brokers, [listener('TLS12').bootstrap]);
    assert.ok(res.TLS12!.values.includes('ck-SSL') && res.TLS12!.values.includes('ck-TLS12'));
    const mine = opened().slice(before);
    assert.deepEqual(
      new Set(mine.map((l) => `${l.listener} ${l.tls} ${l.principal}`)),
      new Set(['SSL TLSv1.3 User:CN=client,OU=test,O=kafkalite', 'TLS12 TLSv1.2 User:CLIENT@KAFKALITE']),
    );
  });

  test('no client certificate (kcat), or one from another CA (kafkajs): the handshake is refused and the reason logged', async () => {
    requireTool(() => hasCommand('kcat'), 'kcat');
    const failures = () => logs.lines().filter((l) => l.msg === 'TLS handshake failed: connection closed');
    const base = broker.clientConfig('librdkafka');
    let seen = failures().length;
    let before = opened().length;
    const noCert = {
      'bootstrap.servers': base['bootstrap.servers']!,
      'security.protocol': 'ssl',
      'ssl.ca.location': base['ssl.ca.location']!,
    };
    const r = await run('kcat', [...Object.entries(noCert).flatMap(([k, v]) => ['-X', `${k}=${v}`]), '-L', '-m', '3'], {
      timeoutMs: 30_000,
    });
    assert.notEqual(r.code, 0);
    await until('the logged handshake failure', () => failures().length > seen);
    assert.match(String(failures().at(-1)!.reason), /ssl.client.auth=required: the client sent no certificate/);
    assert.equal(opened().length, before, 'no connection was opened');

    const other = await createCa(broker.security!.dir, 'CN=another CA', 'another-ca.pem');
    const stranger = await other.issue('CN=stranger', { name: 'stranger' });
    seen = failures().length;
    before = opened().length;
    const cfg = broker.clientConfig('kafkajs');
    const kafka = new Kafka({
      ...cfg,
      ssl: { ...cfg.ssl!, cert: stranger.certPem, key: stranger.keyPem },
      clientId: 'stranger',
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    await assert.rejects(admin.connect());
    await admin.disconnect();
    await until('the logged handshake failure', () => failures().length > seen);
    assert.match(String(failures().at(-1)!.reason), /client certificate not trusted: UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
    assert.equal(opened().length, before, 'no connection was opened');
  });

  test('a client trusting another CA gives up on the broker (kafkajs)', async () => {
    const other = await createCa(broker.security!.dir, 'CN=yet another CA', 'third-ca.pem');
    const cfg = broker.clientConfig('kafkajs');
    const kafka = new Kafka({
      ...cfg,
      ssl: { ...cfg.ssl!, ca: [other.certPem] },
      clientId: 'wrong-ca',
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    await assert.rejects(admin.connect(), /self.signed|unable to verify|certificate/i);
    await admin.disconnect();
  });

  test('the PLAINTEXT listener keeps working, without a principal', async () => {
    const kafka = new Kafka({ brokers: [listener('PLAINTEXT').bootstrap], clientId: 'plain', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const { brokers } = await admin.describeCluster();
    await admin.disconnect();
    assert.deepEqual(
      brokers.map((b) => `${b.host}:${b.port}`),
      [listener('PLAINTEXT').bootstrap],
    );
    const plain = opened().filter((l) => l.listener === 'PLAINTEXT');
    assert.ok(plain.length > 0 && plain.every((l) => l.principal === undefined && l.tls === undefined));
  });

  // Last: it replaces the broker's certificate.
  test('a new key store written over the file is loaded for new connections', async () => {
    const s = broker.security!;
    const next = await createCa(s.dir, 'CN=renewed CA', 'renewed-ca.pem');
    // Issued into a scratch name, then written over the watched key store file.
    const renewed = await next.issue('CN=localhost,OU=renewed,O=kafkalite', { server: true, name: 'renewed' });
    const reloaded = () => logs.lines().filter((l) => l.msg === 'TLS key store reloaded: new connections use the new certificates').length;
    const seen = reloaded();
    writeFileSync(s.broker.keystoreFile, `${renewed.keyPem}${renewed.certPem}\n`);
    await until('the reload', () => reloaded() > seen);
    // The old CA no longer verifies the broker; the new one does (client certificate still from the old CA).
    const cfg = broker.clientConfig('kafkajs');
    const connect = async (ca: string) => {
      const kafka = new Kafka({
        ...cfg,
        ssl: { ...cfg.ssl!, ca: [ca] },
        clientId: 'reload',
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
      });
      const admin = kafka.admin();
      try {
        await admin.connect();
        return (await admin.describeCluster()).clusterId;
      } finally {
        await admin.disconnect();
      }
    };
    await assert.rejects(connect(s.caPem), /self.signed|unable to verify|certificate/i);
    assert.equal(await connect(next.certPem), broker.clusterId);
    // librdkafka (kcat) too: the broker's new certificate verifies against the new CA's file only.
    requireTool(() => hasCommand('kcat'), 'kcat');
    const rd = broker.clientConfig('librdkafka');
    const kcat = (caFile: string) =>
      run('kcat', [
        '-L',
        '-m',
        '3',
        '-t',
        'orders',
        ...Object.entries({ ...rd, 'ssl.ca.location': caFile }).flatMap(([k, v]) => ['-X', `${k}=${v}`]),
      ]);
    const [renewedCa, oldCa] = await Promise.all([kcat(next.file), kcat(s.caFile)]);
    assert.equal(renewedCa.code, 0, renewedCa.stderr);
    assert.match(renewedCa.stdout, /topic "orders" with 1 partitions/);
    assert.notEqual(oldCa.code, 0);
    assert.match(oldCa.stderr, /certificate verify failed/);
  });
});

test('startBroker({ security }) names the presets; a bad key store fails start-up with the key', async () => {
  await assert.rejects(
    startBroker({ security: 'tls' as 'ssl' }),
    /security must be one of ssl, mtls, sasl_plaintext, sasl_ssl .*got 'tls'/,
  );
  await assert.rejects(startBroker({ security: { preset: 'mtls', subject: 'CN=x' } as never }), /unknown option 'security.subject'/);
  await assert.rejects(
    startBroker({
      config: {
        listeners: 'SSL://127.0.0.1:0',
        'inter.broker.listener.name': 'SSL',
        'ssl.keystore.type': 'PEM',
        'ssl.keystore.location': '/nonexistent/ks.pem',
      },
    }),
    /ssl\.keystore\.location.*Failed to load SSL keystore \/nonexistent\/ks\.pem/,
  );
});

describe('a PKCS12 key store (and a PKCS12 trust store refused with the way to convert it)', () => {
  let broker: Broker;
  let dir: string;
  let client: { certPem: string; keyPem: string };
  let caPem: string;
  before(async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    dir = mkdtempSync(join(tmpdir(), 'kafkalite-p12-'));
    const ca = await createCa(dir);
    caPem = ca.certPem;
    const server = await ca.issue('CN=localhost', { server: true, name: 'broker' });
    client = await ca.issue('CN=p12-client,O=kafkalite', { name: 'client' });
    const ks = join(dir, 'broker.p12');
    const ts = join(dir, 'trust.p12');
    const a = await run('openssl', [
      'pkcs12',
      '-export',
      '-inkey',
      server.keyFile,
      '-in',
      server.certFile,
      '-out',
      ks,
      '-passout',
      'pass:ks-pw',
    ]);
    assert.equal(a.code, 0, a.stderr);
    const b = await run('openssl', ['pkcs12', '-export', '-nokeys', '-in', ca.file, '-out', ts, '-passout', 'pass:ts-pw']);
    assert.equal(b.code, 0, b.stderr);
    const config = {
      'inter.broker.listener.name': 'SSL',
      'ssl.keystore.type': 'PKCS12',
      'ssl.keystore.location': ks,
      'ssl.keystore.password': 'ks-pw',
      'ssl.truststore.type': 'PKCS12',
      'ssl.truststore.location': ts,
      'ssl.truststore.password': 'ts-pw',
      'ssl.client.auth': 'required',
    };
    await assert.rejects(
      startBroker({ listeners: [{ name: 'SSL', protocol: 'SSL' }], config }),
      /ssl\.truststore\.type: kafkalite reads PEM trust stores, not PKCS12 ones: convert it with openssl pkcs12 -in .*trust\.p12 -nokeys/,
    );
    broker = await startBroker({
      listeners: [{ name: 'SSL', protocol: 'SSL' }],
      config: { ...config, 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': ca.file, 'ssl.truststore.password': undefined },
    });
  });
  after(async () => {
    await broker?.stop();
    const { rmSync } = await import('node:fs');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('kafkajs with a client certificate is served; without one it is refused', async () => {
    const connect = async (withCert: boolean) => {
      const kafka = new Kafka({
        brokers: [broker.bootstrap],
        ssl: { ca: [caPem], ...(withCert ? { cert: client.certPem, key: client.keyPem } : {}) },
        clientId: 'p12',
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
      });
      const admin = kafka.admin();
      try {
        await admin.connect();
        return (await admin.describeCluster()).clusterId;
      } finally {
        await admin.disconnect();
      }
    };
    assert.equal(await connect(true), broker.clusterId);
    await assert.rejects(connect(false));
  });
});
