// The control API (broker/control/server.ts) with the HTTP server's TLS and authentication
// (broker/http/security.ts): over https with http.ssl.*, every route behind http.auth.type, reached
// with the control client (connectControl with its authorization and CA) and curl; and the loud
// warning when it listens beyond loopback without authentication.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { connectControl, ControlApiError, startControlServer, type ControlServer } from '../../broker/control/index.js';
import { createCa } from '../../broker/security/testkit-tls.js';
import { memoryLogger } from './http-helpers.js';
import { hasCommand, requireTool, run } from './helpers.js';

describe('the control API over https with bearer authentication', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafkalite-control-tls-'));
  let broker: Broker;
  let control: ControlServer;
  let ca: string;
  const caFile = join(dir, 'ca-file.pem');

  before(async () => {
    const authority = await createCa(dir);
    ca = authority.certPem;
    writeFileSync(caFile, ca);
    const server = await authority.issue('CN=localhost', { server: true, name: 'control' });
    broker = await startBroker({
      topics: { t: 1 },
      config: {
        'http.ssl.enabled': true,
        'http.ssl.keystore.location': server.keystoreFile,
        'http.auth.type': 'bearer',
        'http.auth.tokens': 'tok-1,tok-2',
      },
    });
    control = await startControlServer(broker);
  });
  after(async () => {
    await control?.close();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('connectControl with the token and the CA is served; without the token 401; without the CA, no TLS', async () => {
    assert.match(control.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const info = await connectControl(control.url, { authorization: 'Bearer tok-2', ca }).info();
    assert.equal(info.bootstrap, broker.bootstrap);
    await assert.rejects(
      connectControl(control.url, { ca }).info(),
      (e: unknown) => e instanceof ControlApiError && e.status === 401 && e.code === 'UNAUTHORIZED',
    );
    await assert.rejects(
      connectControl(control.url, { authorization: 'Bearer nope', ca }).reset(),
      (e: unknown) => e instanceof ControlApiError && e.status === 401,
    );
    // Global fetch trusts only the system CAs: the throwaway CA's certificate is refused.
    await assert.rejects(connectControl(control.url, { authorization: 'Bearer tok-1' }).info(), /fetch failed/);
  });

  test('curl: the OpenAPI document and a write route behind the token', async () => {
    requireTool(() => hasCommand('curl'), 'curl');
    const curl = async (path: string, ...h: string[]) =>
      (
        await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--cacert', caFile, ...h, `${control.url}/control/v1${path}`], {
          timeoutMs: 20_000,
        })
      ).stdout;
    assert.equal(await curl('/openapi.json'), '401');
    assert.equal(await curl('/openapi.json', '-H', 'Authorization: Bearer tok-1'), '200');
    assert.equal(await curl('/reset', '-X', 'POST'), '401');
    assert.equal(await curl('/reset', '-X', 'POST', '-H', 'Authorization: Bearer tok-1'), '200');
  });
});

test('the control API beyond loopback without authentication is a loud warning; on loopback, none', async () => {
  const logs = memoryLogger('warn');
  const broker = await startBroker({ logger: logs.logger });
  try {
    const local = await startControlServer(broker);
    await local.close();
    assert.deepEqual(
      logs.lines().filter((l) => /CONTROL API .* WITHOUT AUTHENTICATION/.test(String(l.msg))),
      [],
    );
    const open = await startControlServer(broker, { host: '0.0.0.0' });
    // Plain http and no authentication by default: the client reaches it as before.
    assert.match(open.url, /^http:\/\//);
    assert.equal((await connectControl(open.url).info()).bootstrap, broker.bootstrap);
    await open.close();
    const warned = logs.lines().filter((l) => /CONTROL API on 0\.0\.0\.0:0 WITHOUT AUTHENTICATION/.test(String(l.msg)));
    assert.equal(warned.length, 1);
    assert.equal(warned[0]!.level, 40);
  } finally {
    await broker.stop();
  }
});
