// The SASL exchange on a SASL_PLAINTEXT listener, kafkalite against Kafka 4.4 started with the same
// listeners and JAAS users: what SaslHandshake and SaslAuthenticate answer (mechanism lists,
// UNSUPPORTED_SASL_MECHANISM, SASL_AUTHENTICATION_FAILED with its message, session lifetime), which
// connections are closed (after a failure, a request before authentication, a request out of
// order), the raw token exchange after a v0 handshake, and the message a client shows for a wrong
// SCRAM password (kafkajs). The wire corpus (test/oracle/scenarios/sasl.ts) covers the APIs on
// PLAINTEXT listeners and the SCRAM credential APIs.

import assert from 'node:assert/strict';
import { pbkdf2Sync } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import type { Broker } from '../../broker/index.js';
import { AlterUserScramCredentials, ApiVersions, Metadata, SaslAuthenticate, SaslHandshake } from '../../protocol/messages/index.js';
import type { RealKafka } from '../jvm/kafka.js';
import { startSaslPair, type SaslPair } from './sasl-pair.js';
import { requestFrame, WireClient } from '../integration/wire-client.js';

const JAAS =
  'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" ' +
  'user_admin="admin-secret" user_alice="alice-secret";';
const SASL_CONFIG = {
  'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
  'listener.name.sasl_plaintext.plain.sasl.jaas.config': JAAS,
  'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
  'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
};

interface Target {
  /** PLAINTEXT listener (admin requests) and SASL_PLAINTEXT listener. */
  plain: string;
  sasl: string;
}

const closed = (p: Promise<unknown>) =>
  p.then(
    () => false,
    () => true,
  );

const mdReq = { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false };

/** Everything one target answers, normalised for comparison. */
async function observe(t: Target): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const [host, port] = [t.sasl.split(':')[0]!, Number(t.sasl.split(':')[1])];

  // 1. ApiVersions, then a mechanism that is not enabled.
  let c = await WireClient.connect(t.sasl);
  const av = await c.send(ApiVersions, 3, { clientSoftwareName: 'oracle', clientSoftwareVersion: '1' });
  out.apiVersionsError = av.errorCode;
  out.unsupported = await c.send(SaslHandshake, 1, { mechanism: 'GSSAPI' });
  out.unsupportedThenClosed = await closed(c.send(ApiVersions, 3, { clientSoftwareName: 'oracle', clientSoftwareVersion: '1' }));

  // 2. A wrong PLAIN password.
  c = await WireClient.connect(t.sasl);
  out.plainHandshake = await c.send(SaslHandshake, 1, { mechanism: 'PLAIN' });
  out.badPassword = await c.send(SaslAuthenticate, 2, { authBytes: Buffer.from('\u0000alice\u0000wrong') });
  out.badPasswordThenClosed = await closed(c.send(Metadata, 12, mdReq));

  // 3. A right one: the session lifetime (connections.max.reauth.ms unset: 0), then requests are served.
  c = await WireClient.connect(t.sasl);
  await c.send(SaslHandshake, 1, { mechanism: 'PLAIN' });
  const ok = await c.send(SaslAuthenticate, 2, { authBytes: Buffer.from('\u0000alice\u0000alice-secret') });
  out.good = { ...ok, authBytes: Buffer.from(ok.authBytes).length };
  out.afterGood = (await c.send(Metadata, 12, mdReq)).brokers.length;
  out.authenticateAgain = await closed(c.send(SaslAuthenticate, 2, { authBytes: Buffer.from('\u0000alice\u0000alice-secret') }));
  await c.close().catch(() => {});

  // 4. Requests out of order: closed without an answer.
  c = await WireClient.connect(t.sasl);
  out.metadataFirst = await closed(c.send(Metadata, 12, mdReq));
  c = await WireClient.connect(t.sasl);
  out.authenticateFirst = await closed(c.send(SaslAuthenticate, 2, { authBytes: Buffer.from('\u0000alice\u0000alice-secret') }));
  c = await WireClient.connect(t.sasl);
  await c.send(ApiVersions, 3, { clientSoftwareName: 'oracle', clientSoftwareVersion: '1' });
  out.apiVersionsTwice = await closed(c.send(ApiVersions, 3, { clientSoftwareName: 'oracle', clientSoftwareVersion: '1' }));
  c = await WireClient.connect(t.sasl);
  await c.send(SaslHandshake, 1, { mechanism: 'PLAIN' });
  out.handshakeTwice = await c.send(SaslHandshake, 1, { mechanism: 'PLAIN' }).catch((e: Error) => `closed: ${e.message}`);
  out.handshakeTwiceThenClosed = await closed(c.send(Metadata, 12, mdReq));

  // 5. A v0 handshake: the PLAIN token travels bare and the answer is a bare (empty) token.
  out.raw = await new Promise((resolve, reject) => {
    const s = connect({ host, port });
    let buf = Buffer.alloc(0);
    const answers: string[] = [];
    s.on('error', reject);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
        const frame = buf.subarray(4, 4 + buf.readInt32BE(0));
        buf = buf.subarray(4 + frame.length);
        if (answers.length < 2)
          answers.push(answers.length === 0 ? `handshake error ${frame.readInt16BE(4)}` : `token of ${frame.length} bytes`);
        else answers.push('');
        if (answers.length === 1) {
          const token = Buffer.from('\u0000alice\u0000alice-secret');
          const size = Buffer.alloc(4);
          size.writeInt32BE(token.length);
          s.write(Buffer.concat([size, token]));
        } else if (answers.length === 2) {
          s.write(requestFrame(Metadata, 12, mdReq, { correlationId: 7 }));
        } else {
          answers[2] = `then Metadata answered to correlation id ${frame.readInt32BE(0)}`;
          s.destroy();
          resolve(answers);
        }
      }
    });
    s.write(requestFrame(SaslHandshake, 0, { mechanism: 'PLAIN' }, { correlationId: 1 }));
  });

  // 6. A wrong SCRAM password, as kafkajs shows it (the user exists: created over PLAINTEXT).
  const admin = await WireClient.connect(t.plain);
  const salt = Buffer.alloc(16, 3);
  const alter = await admin.send(AlterUserScramCredentials, 0, {
    deletions: [],
    upsertions: [{ name: 'bob', mechanism: 1, iterations: 4096, salt, saltedPassword: pbkdf2Sync('bob-secret', salt, 4096, 32, 'sha256') }],
  });
  out.alter = alter.results;
  await admin.close().catch(() => {});
  const messages: string[] = [];
  for (const password of ['wrong', 'bob-secret']) {
    // Kafka's broker applies the credential once its metadata image has it: retry the right password briefly.
    for (let i = 0; ; i++) {
      const kafka = new Kafka({
        brokers: [t.sasl],
        sasl: { mechanism: 'scram-sha-256', username: 'bob', password },
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
      });
      const a = kafka.admin();
      const message = await a.connect().then(
        () => 'connected',
        (e: Error) => e.message,
      );
      await a.disconnect().catch(() => {});
      if (message === 'connected' || password === 'wrong' || i === 20) {
        messages.push(message);
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  out.scram = messages;
  return out;
}

describe('SASL_PLAINTEXT exchange: kafkalite vs Kafka 4.4', () => {
  let pair: SaslPair;
  let kafka: RealKafka;
  let broker: Broker;
  let kafkaSasl: string;

  before(async () => {
    pair = await startSaslPair(SASL_CONFIG);
    ({ kafka, broker, kafkaSasl } = pair);
  });
  after(async () => {
    await pair?.stop();
  });

  test('handshakes, authentications, closes and messages agree', async () => {
    const theirs = await observe({ plain: kafka.bootstrap, sasl: kafkaSasl });
    const ours = await observe({ plain: broker.listeners[0]!.bootstrap, sasl: broker.listeners[1]!.bootstrap });
    assert.deepEqual(ours, theirs);
    // And what they agree on is what Kafka documents.
    assert.deepEqual(theirs.unsupported, { errorCode: 33, mechanisms: ['PLAIN', 'SCRAM-SHA-512', 'SCRAM-SHA-256'] });
    assert.deepEqual(theirs.handshakeTwice, { errorCode: 34, mechanisms: [] });
    assert.equal((theirs.badPassword as { errorMessage: string }).errorMessage, 'Authentication failed: Invalid username or password');
    assert.deepEqual(theirs.scram, [
      'SASL SCRAM SHA256 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256',
      'connected',
    ]);
  });
});
