// `kafkalite test-server` as a separate process: --print-env's first lines, a Kafka client and
// the control API used from what they say, the HTTP control API driven from Python
// (confluent-kafka / librdkafka producing through an injected fault), and a clean exit when
// stdin closes.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { connectControl } from '../../broker/control/index.js';
import { hasPythonModule, PYTHON, REPO_ROOT, requireTool, run, startTestServer, PY_CONTROL_CALL, type TestServer } from './helpers.js';

const BIN = join(REPO_ROOT, 'dist', 'bin', 'kafkalite.js');

const started: TestServer[] = [];

/** startTestServer, killed after the suite if a test left it running. */
async function testServer(args: string[]): Promise<TestServer> {
  const server = await startTestServer(args);
  started.push(server);
  return server;
}

describe('kafkalite test-server', () => {
  after(() => {
    for (const s of started) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  });

  test('--nodes 3 --print-env: the env lines come first; Kafka and the control API answer there; stdin EOF stops it', async () => {
    const server = await testServer(['--nodes', '3']);
    assert.match(server.lines[0]!, /^KAFKA_BOOTSTRAP=127\.0\.0\.1:\d+$/);
    assert.match(server.lines[1]!, /^KAFKALITE_CONTROL=http:\/\/127\.0\.0\.1:\d+$/);

    const kafka = new Kafka({ clientId: 'ts-test', brokers: [server.env.KAFKA_BOOTSTRAP], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      assert.deepEqual(cluster.brokers.map((b) => b.nodeId).sort(), [1, 2, 3]);
    } finally {
      await admin.disconnect();
    }
    const control = connectControl(server.env.KAFKALITE_CONTROL);
    const info = await control.info();
    assert.equal(info.bootstrap, server.env.KAFKA_BOOTSTRAP);
    assert.equal(info.nodes.length, 3);
    assert.equal(await server.closeStdin(), 0);
  });

  test('SIGTERM stops it with exit 0; --clock virtual, --topic and --options apply', async () => {
    const server = await testServer(['--clock', 'virtual', '--topic', 'orders:4', '--options', '{"nodes":2,"topics":{"audit":1}}']);
    const control = connectControl(server.env.KAFKALITE_CONTROL);
    const info = await control.info();
    assert.equal(info.nodes.length, 2);
    assert.equal((await control.partitions.describe('audit')).length, 1);
    const t0 = info.now;
    assert.equal(await control.clock.advance(60_000), t0 + 60_000);
    assert.equal((await control.partitions.describe('orders')).length, 4);
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  test('a bad flag fails at once with a message', async () => {
    const r = await run(process.execPath, [BIN, 'test-server', '--nodes', '0'], { timeoutMs: 20_000 });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /--nodes must be an integer 1\.\.64/);
    const bad = await run(process.execPath, [BIN, 'test-server', '--options', '{nodes'], { timeoutMs: 20_000 });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--options <json>' argument '\{nodes' is invalid\. not JSON/);
  });

  test('pytest-style: confluent-kafka produces through a fault injected over HTTP and the hits read back over HTTP', async () => {
    requireTool(() => hasPythonModule('confluent_kafka'), 'python3-confluent-kafka');
    const server = await testServer([]);
    const script = `
import json, sys, urllib.request
from confluent_kafka import Producer

bootstrap, control = sys.argv[1], sys.argv[2]

${PY_CONTROL_CALL}
fault = call('POST', '/faults', {'api': 'Produce', 'match': {'topic': 'py-orders', 'clientId': '^py-'}, 'error': 'NOT_LEADER_OR_FOLLOWER', 'times': 2})
reports = []
p = Producer({'bootstrap.servers': bootstrap, 'client.id': 'py-producer', 'retry.backoff.ms': 20, 'linger.ms': 0})
p.produce('py-orders', key=b'k', value=b'through the fault',
          on_delivery=lambda err, msg: reports.append([str(err) if err else None, msg.offset() if not err else None]))
left = p.flush(30)
status = call('GET', '/faults/' + fault['id'])
rec = call('POST', '/requests/record')
p.produce('py-orders', value=b'second', on_delivery=lambda err, msg: reports.append([str(err) if err else None, msg.offset() if not err else None]))
p.flush(30)
produces = call('GET', '/requests?api=Produce&clientId=%5Epy-')
print(json.dumps({'left': left, 'reports': reports, 'status': status, 'recorded': [[r['api'], r['clientId']] for r in produces]}))
`;
    const r = await run(PYTHON, ['-c', script, server.env.KAFKA_BOOTSTRAP, server.env.KAFKALITE_CONTROL], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      left: number;
      reports: Array<[string | null, number | null]>;
      status: { hits: number; fired: boolean; active: boolean };
      recorded: Array<[string, string]>;
    };
    assert.equal(out.left, 0);
    assert.deepEqual(out.reports, [
      [null, 0],
      [null, 1],
    ]);
    assert.equal(out.status.hits, 2, 'librdkafka met the fault twice and retried');
    assert.equal(out.status.fired, true);
    assert.equal(out.status.active, false);
    assert.deepEqual(out.recorded, [['Produce', 'py-producer']]);
    assert.equal(await server.closeStdin(), 0);
  });
});
