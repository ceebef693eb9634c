// The HTTP server over TLS with authentication (broker/http/security.ts): https with the
// http.ssl.* keys and basic / bearer authentication, reached with node:https and curl; and the
// loud warning when HTTP listens beyond loopback without authentication.

import assert from 'node:assert/strict';
import { request } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { createCa } from '../../broker/security/testkit-tls.js';
import { memoryLogger } from './http-helpers.js';
import { hasCommand, requireTool, run } from './helpers.js';

function get(url: string, ca: string, auth?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: auth ? { authorization: auth } : {} }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP over TLS with authentication', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafkalite-http-tls-'));
  let basic: Broker;
  let bearer: Broker;
  let ca: string;
  const open = memoryLogger('warn');

  before(async () => {
    const authority = await createCa(dir);
    ca = authority.certPem;
    const server = await authority.issue('CN=localhost', { server: true, name: 'http' });
    const tls = { 'http.ssl.enabled': true, 'http.ssl.keystore.location': server.keystoreFile };
    basic = await startBroker({
      http: { port: 0 },
      config: { ...tls, 'http.auth.type': 'basic', 'http.auth.users': 'alice:s3cret,bob:pw' },
    });
    bearer = await startBroker({
      http: { port: 0, host: '0.0.0.0' },
      config: { ...tls, 'http.auth.type': 'bearer', 'http.auth.tokens': 'tok-1' },
    });
  });
  after(async () => {
    await basic?.stop();
    await bearer?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('basic: https URL; 401 without or with wrong credentials, 200 with them (node:https)', async () => {
    const url = basic.http!.url;
    assert.match(url, /^https:\/\//);
    const none = await get(`${url}/health`, ca);
    assert.equal(none.status, 401);
    assert.equal(JSON.parse(none.body).error, 'UNAUTHORIZED');
    assert.equal((await get(`${url}/health`, ca, `Basic ${Buffer.from('alice:wrong').toString('base64')}`)).status, 401);
    const ok = await get(`${url}/api/v1/topics`, ca, `Basic ${Buffer.from('bob:pw').toString('base64')}`);
    assert.equal(ok.status, 200, ok.body);
  });

  test('bearer, checked with curl against the CA', async () => {
    requireTool(() => hasCommand('curl'), 'curl');
    const url = `https://127.0.0.1:${bearer.http!.port}/health`;
    const caFile = join(dir, 'ca.pem');
    const code = async (...h: string[]) =>
      (await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--cacert', caFile, ...h, url], { timeoutMs: 20_000 })).stdout;
    assert.equal(await code(), '401');
    assert.equal(await code('-H', 'Authorization: Bearer nope'), '401');
    assert.equal(await code('-H', 'Authorization: Bearer tok-1'), '200');
  });

  test('HTTP beyond loopback without authentication is a loud warning; with it or on loopback, none', async () => {
    const b = await startBroker({ http: { port: 0, host: '0.0.0.0' }, logger: open.logger });
    await b.stop();
    const warned = open.lines().filter((l) => /WITHOUT AUTHENTICATION/.test(String(l.msg)));
    assert.equal(warned.length, 1);
    const before = open.lines().length;
    const c = await startBroker({ http: { port: 0 }, logger: open.logger });
    await c.stop();
    assert.equal(
      open
        .lines()
        .slice(before)
        .filter((l) => /WITHOUT AUTHENTICATION/.test(String(l.msg))).length,
      0,
    );
  });
});
