// OAUTHBEARER with signed JWTs: the broker checks tokens against a JWKS endpoint
// (sasl.oauthbearer.jwks.endpoint.url, served here by a local HTTP server), the expected audience
// and issuer. kafkajs (oauthBearerProvider) and confluent-kafka (librdkafka, oauth_cb) produce with
// a good token, the principal is the token's sub, and a token for another audience is refused with
// Kafka's error JSON.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { python } from './helpers.js';

describe('OAUTHBEARER with a JWKS endpoint', () => {
  let broker: Broker;
  let jwks: Server;
  let sign: (claims: { sub: string; aud: string }) => Promise<string>;

  before(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    sign = (c) =>
      new SignJWT({ scope: 'kafka' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject(c.sub)
        .setAudience(c.aud)
        .setIssuer('https://issuer.test')
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey);
    broker = await startBroker({
      listeners: [{ name: 'SASL_PLAINTEXT', protocol: 'SASL_PLAINTEXT' }],
      config: {
        'sasl.enabled.mechanisms': 'OAUTHBEARER',
        'sasl.oauthbearer.jwks.endpoint.url': `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`,
        'sasl.oauthbearer.expected.audience': 'kafka',
        'sasl.oauthbearer.expected.issuer': 'https://issuer.test',
      },
      topics: { o: 1 },
    });
  });
  after(async () => {
    await broker?.stop();
    jwks?.close();
  });

  test('kafkajs: a signed token produces as its sub; another audience is refused', async () => {
    const principals: string[] = [];
    const h = broker.intercept('Produce', (req, ctx, next) => {
      principals.push(ctx.connection.principal ?? 'User:ANONYMOUS');
      return next(req);
    });
    const token = await sign({ sub: 'svc-orders', aud: 'kafka' });
    const kafka = new Kafka({
      brokers: [broker.bootstrap],
      sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: token }) },
      logLevel: logLevel.NOTHING,
    });
    const p = kafka.producer();
    await p.connect();
    await p.send({ topic: 'o', messages: [{ value: 'signed' }] });
    await p.disconnect();
    h.remove();
    assert.deepEqual(principals, ['User:svc-orders']);

    const other = await sign({ sub: 'svc-orders', aud: 'someone-else' });
    const bad = new Kafka({
      brokers: [broker.bootstrap],
      sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: other }) },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin();
    // The broker answers Kafka's error JSON ({"status":"invalid_token"}) as a challenge; kafkajs does not send the
    // closing %x01, so its connect() returns and the first request finds the connection refused.
    const successes = () => broker.core.sasl.authFigures().find((f) => f.mechanism === 'OAUTHBEARER' && f.result === 'success')?.count;
    const before = successes();
    await assert.rejects(bad.connect().then(() => bad.listTopics()));
    await bad.disconnect().catch(() => {});
    assert.equal(successes(), before);
  });

  test('confluent-kafka (librdkafka oauth_cb): produces with a signed token', async () => {
    const token = await sign({ sub: 'svc-py', aud: 'kafka' });
    const other = await sign({ sub: 'svc-py', aud: 'someone-else' });
    const out = await python<{ delivered: number; refused: string }>(
      `
import json, sys, time
from confluent_kafka import Producer
b, token, other = sys.argv[1].split(' ')
p = Producer({'bootstrap.servers': b, 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'OAUTHBEARER',
              'oauth_cb': lambda cfg: (token, time.time() + 600)})
n = []
p.produce('o', value=b'py', partition=0, on_delivery=lambda err, m: n.append(err))
assert p.flush(20) == 0
assert n == [None], n
errors = []
bad = Producer({'bootstrap.servers': b, 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'OAUTHBEARER',
                'oauth_cb': lambda cfg: (other, time.time() + 600), 'error_cb': lambda e: errors.append(e.str())})
deadline = time.time() + 20
while not errors and time.time() < deadline: bad.poll(0.2)
print(json.dumps({'delivered': len(n), 'refused': errors[0] if errors else ''}))
`,
      `${broker.bootstrap} ${token} ${other}`,
    );
    assert.equal(out.delivered, 1);
    // librdkafka sends the closing %x01 and shows Kafka's error JSON.
    assert.match(out.refused, /\{"status":"invalid_token"\}/);
    const ok = broker.core.sasl.authFigures().find((f) => f.mechanism === 'OAUTHBEARER' && f.result === 'success')?.count ?? 0;
    assert.ok(ok >= 2, `OAUTHBEARER successes: ${ok}`);
  });
});
