// Delegation tokens (APIs 38-41, broker/security/tokens.ts) with real clients on a SASL_PLAINTEXT
// listener: Kafka's kafka-delegation-tokens tool and the Java client 4.4 (one JVM,
// test/jvm/programs/DelegationTokens.java), franz-go logging in with a token (scram.Auth IsToken),
// and the wire client for what the clients do not show: the HMAC (HmacSHA512 of the token id
// under delegation.token.secret.key), the refusals on PLAINTEXT and without a secret, expiry and
// the sweep on the virtual clock, tokens surviving a restart of a broker on disk.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import {
  CreateDelegationToken,
  DescribeDelegationToken,
  ExpireDelegationToken,
  RenewDelegationToken,
  SaslAuthenticate,
  SaslHandshake,
} from '../../protocol/messages/index.js';
import { franz } from '../go/franz.js';
import { JAVA_PROGRAMS, javaOk } from '../jvm/kafka.js';
import { WireClient } from './wire-client.js';

const SECRET = 'kafkalite-token-secret';
const JAAS =
  'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" ' +
  'user_admin="admin-secret" user_alice="alice-secret" user_bob="bob-secret";';
const SASL = {
  'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
  'listener.name.sasl_plaintext.plain.sasl.jaas.config': JAAS,
  'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
  'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
};
const LISTENERS = [{ name: 'PLAINTEXT' }, { name: 'SASL_PLAINTEXT', protocol: 'SASL_PLAINTEXT' as const }];
const saslOf = (b: Broker) => b.listeners[1]!.bootstrap;

/** A wire client logged in with PLAIN on the SASL listener. */
async function loggedIn(b: Broker, user: string): Promise<WireClient> {
  const c = await WireClient.connect(saslOf(b));
  await c.send(SaslHandshake, 1, { mechanism: 'PLAIN' });
  const r = await c.send(SaslAuthenticate, 2, { authBytes: Buffer.from(`\u0000${user}\u0000${user}-secret`) });
  assert.equal(r.errorCode, 0);
  return c;
}

const create = (c: WireClient, o: { owner?: string; renewers?: string[]; maxLifetimeMs?: number } = {}) =>
  c.send(CreateDelegationToken, 3, {
    ownerPrincipalType: o.owner ? 'User' : null,
    ownerPrincipalName: o.owner ?? null,
    renewers: (o.renewers ?? []).map((n) => ({ principalType: 'User', principalName: n })),
    maxLifetimeMs: o.maxLifetimeMs ?? -1,
  });

describe('delegation tokens with kafka-delegation-tokens, the Java client and franz-go', () => {
  let broker: Broker;
  before(async () => {
    broker = await startBroker({ listeners: LISTENERS, config: { ...SASL, 'delegation.token.secret.key': SECRET }, topics: { tokens: 1 } });
  });
  after(() => broker?.stop());

  test('kafka-delegation-tokens creates, describes, renews and expires; the Java client produces with the token', async () => {
    const r = await javaOk([join(JAVA_PROGRAMS, 'DelegationTokens.java'), saslOf(broker), 'alice', 'alice-secret', 'tokens']);
    const steps = Object.fromEntries(
      r.stdout
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { step: string })
        .map((s) => [s.step, s]),
    ) as Record<string, Record<string, unknown>>;
    const created = steps.create!;
    assert.deepEqual(
      { owner: created.owner, requester: created.requester, renewers: created.renewers },
      { owner: 'User:alice', requester: 'User:alice', renewers: '[User:bob]' },
    );
    assert.equal(created.hmac, createHmac('sha512', SECRET).update(String(created.tokenId)).digest('base64'));
    assert.deepEqual(steps.describe, { step: 'describe', total: 1, listed: true, withoutOwner: 0 });
    assert.deepEqual(steps['produce-with-token'], { step: 'produce-with-token', acked: 3 });
    assert.deepEqual(steps['create-with-token'], {
      step: 'create-with-token',
      error: 'UnsupportedByAuthenticationException',
      message: 'Delegation Token requests are not allowed on PLAINTEXT/1-way SSL channels and on delegation token authenticated channels.',
    });
    assert.deepEqual(steps.renew, { step: 'renew', output: true });
    assert.deepEqual(steps.expire, { step: 'expire', output: true });
    assert.deepEqual(steps['describe-after-expire'], { step: 'describe-after-expire', total: 0 });
    assert.deepEqual(steps['login-after-expire'], {
      step: 'login-after-expire',
      error: 'SaslAuthenticationException',
      message: 'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
    });
  });

  test('franz-go logs in with a token (SCRAM-SHA-256, tokenauth) and produces; refused once the token is expired', async () => {
    const c = await loggedIn(broker, 'bob');
    const t = await create(c);
    assert.equal(t.errorCode, 0);
    const hmac = Buffer.from(t.hmac).toString('base64');
    const ok = await franz('token', saslOf(broker), ['-mechanism', 'scram-sha-256', '-id', t.tokenId, '-hmac', hmac, '-topic', 'tokens']);
    assert.deepEqual(ok, { acked: 3 });
    const expired = await c.send(ExpireDelegationToken, 2, { hmac: t.hmac, expiryTimePeriodMs: -1 });
    assert.equal(expired.errorCode, 0);
    assert.equal((await c.send(ExpireDelegationToken, 2, { hmac: t.hmac, expiryTimePeriodMs: -1 })).errorCode, 62); // DELEGATION_TOKEN_NOT_FOUND
    await c.close();
    const refused = await franz('token', saslOf(broker), [
      '-mechanism',
      'scram-sha-256',
      '-id',
      t.tokenId,
      '-hmac',
      hmac,
      '-topic',
      'tokens',
    ]);
    assert.equal(refused.error, 'SASL_AUTHENTICATION_FAILED');
    assert.match(
      String(refused.message),
      /Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256/,
    );
  });

  test('the refusals: PLAINTEXT, owner mismatch, non-User renewers, unknown HMACs; owners, requesters and renewers', async () => {
    const plain = await WireClient.connect(broker.bootstrap);
    const onPlain = await create(plain);
    assert.deepEqual(
      [onPlain.errorCode, onPlain.principalName, onPlain.issueTimestampMs, onPlain.tokenId, Buffer.from(onPlain.hmac).length],
      [64, 'ANONYMOUS', -1, '', 0],
    );
    assert.deepEqual(await plain.send(RenewDelegationToken, 2, { hmac: Buffer.alloc(4), renewPeriodMs: -1 }), {
      throttleTimeMs: 0,
      errorCode: 64,
      expiryTimestampMs: -1,
    });
    assert.deepEqual(await plain.send(DescribeDelegationToken, 3, { owners: null }), { throttleTimeMs: 0, errorCode: 64, tokens: [] });
    await plain.close();

    const alice = await loggedIn(broker, 'alice');
    const bob = await loggedIn(broker, 'bob');
    const admin = await loggedIn(broker, 'admin');
    // admin creates a token owned by alice (no authorizer: allowed), renewable by bob; 1 minute max life.
    const t = await create(admin, { owner: 'alice', renewers: ['bob'], maxLifetimeMs: 60_000 });
    assert.deepEqual(
      [t.errorCode, t.principalName, t.tokenRequesterPrincipalName, t.maxTimestampMs - t.issueTimestampMs, t.expiryTimestampMs],
      [0, 'alice', 'admin', 60_000, t.maxTimestampMs],
    );
    const badRenewer = await admin.send(CreateDelegationToken, 3, {
      ownerPrincipalType: null,
      ownerPrincipalName: null,
      renewers: [{ principalType: 'Group', principalName: 'ops' }],
      maxLifetimeMs: -1,
    });
    assert.deepEqual([badRenewer.errorCode, badRenewer.expiryTimestampMs], [67, -1]); // INVALID_PRINCIPAL_TYPE
    // The requester may describe it but not renew it; the renewer may renew; a stranger may neither.
    assert.equal((await admin.send(RenewDelegationToken, 2, { hmac: t.hmac, renewPeriodMs: 1000 })).errorCode, 63);
    const renewed = await bob.send(RenewDelegationToken, 2, { hmac: t.hmac, renewPeriodMs: 1000 });
    assert.equal(renewed.errorCode, 0);
    assert.ok(renewed.expiryTimestampMs <= t.maxTimestampMs && renewed.expiryTimestampMs > t.issueTimestampMs);
    assert.equal((await bob.send(RenewDelegationToken, 2, { hmac: Buffer.from('nope'), renewPeriodMs: 1000 })).errorCode, 62);
    const seen = async (c: WireClient, owners: string[] | null) =>
      (
        await c.send(DescribeDelegationToken, 3, {
          owners: owners === null ? null : owners.map((n) => ({ principalType: 'User', principalName: n })),
        })
      ).tokens
        .filter((x) => x.tokenId === t.tokenId)
        .map((x) => `${x.principalName}/${x.tokenRequesterPrincipalName}/${x.renewers.map((r) => r.principalName).join(',')}`);
    assert.deepEqual(await seen(alice, null), ['alice/admin/bob']);
    assert.deepEqual(await seen(admin, null), ['alice/admin/bob']);
    assert.deepEqual(await seen(bob, ['alice']), ['alice/admin/bob']);
    assert.deepEqual(await seen(bob, ['carol']), []);
    assert.deepEqual(await seen(bob, []), []);
    // Version 2 has no requester fields; the token still answers.
    const v2 = await alice.send(DescribeDelegationToken, 2, { owners: null });
    assert.equal(
      v2.tokens.some((x) => x.tokenId === t.tokenId),
      true,
    );
    for (const c of [alice, bob, admin]) await c.close();
  });
});

describe('delegation tokens: disabled without a secret, expiry on the virtual clock, persistence', () => {
  test('without delegation.token.secret.key every API answers DELEGATION_TOKEN_AUTH_DISABLED', async () => {
    const b = await startBroker({ listeners: LISTENERS, config: SASL });
    try {
      const c = await loggedIn(b, 'alice');
      const t = await create(c);
      assert.deepEqual([t.errorCode, t.principalName, t.issueTimestampMs, t.tokenId], [61, 'alice', 0, '']);
      assert.equal((await c.send(RenewDelegationToken, 2, { hmac: Buffer.alloc(1), renewPeriodMs: -1 })).errorCode, 61);
      assert.equal((await c.send(ExpireDelegationToken, 2, { hmac: Buffer.alloc(1), expiryTimePeriodMs: -1 })).errorCode, 61);
      assert.equal((await c.send(DescribeDelegationToken, 3, { owners: null })).errorCode, 61);
      await c.close();
    } finally {
      await b.stop();
    }
  });

  test('past its expiry a token is DELEGATION_TOKEN_EXPIRED until the sweep removes it (then NOT_FOUND, its login refused)', async () => {
    const b = await startBroker({
      listeners: LISTENERS,
      clock: 'virtual',
      config: {
        ...SASL,
        'delegation.token.secret.key': SECRET,
        'delegation.token.expiry.time.ms': 60_000,
        'delegation.token.expiry.check.interval.ms': 3_600_000,
        // The wire client stays connected across the clock's jumps (connections.max.idle.ms runs on the broker clock).
        'connections.max.idle.ms': 86_400_000,
      },
    });
    try {
      const c = await loggedIn(b, 'alice');
      const t = await create(c);
      assert.equal(t.expiryTimestampMs - t.issueTimestampMs, 60_000);
      assert.equal(t.maxTimestampMs - t.issueTimestampMs, 7 * 24 * 3_600_000);
      await b.clock.advance(60_001);
      assert.equal((await c.send(RenewDelegationToken, 2, { hmac: t.hmac, renewPeriodMs: -1 })).errorCode, 66);
      assert.equal((await c.send(ExpireDelegationToken, 2, { hmac: t.hmac, expiryTimePeriodMs: 1000 })).errorCode, 66);
      assert.equal((await c.send(DescribeDelegationToken, 3, { owners: null })).tokens.length, 1);
      assert.ok(b.core.sasl.tokens.scram('SCRAM-SHA-256', t.tokenId), 'still a credential before the sweep');
      await b.clock.advance(3_600_000);
      assert.equal((await c.send(RenewDelegationToken, 2, { hmac: t.hmac, renewPeriodMs: -1 })).errorCode, 62);
      assert.equal((await c.send(DescribeDelegationToken, 3, { owners: null })).tokens.length, 0);
      assert.equal(b.core.sasl.tokens.scram('SCRAM-SHA-256', t.tokenId), undefined);
      await c.close();
    } finally {
      await b.stop();
    }
  });

  test('tokens survive a restart of a broker on disk, with the same HMAC', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kafkalite-tokens-'));
    const config = { ...SASL, 'delegation.token.secret.key': SECRET };
    try {
      let b = await startBroker({ listeners: LISTENERS, dataDir, config });
      let c = await loggedIn(b, 'alice');
      const t = await create(c, { renewers: ['bob'] });
      await c.close();
      await b.stop();
      b = await startBroker({ listeners: LISTENERS, dataDir, config });
      try {
        c = await loggedIn(b, 'alice');
        const d = await c.send(DescribeDelegationToken, 3, { owners: null });
        assert.deepEqual(
          d.tokens.map((x) => [x.tokenId, Buffer.from(x.hmac).toString('base64'), x.expiryTimestamp, x.renewers.length]),
          [[t.tokenId, Buffer.from(t.hmac).toString('base64'), t.expiryTimestampMs, 1]],
        );
        assert.ok(b.core.sasl.tokens.scram('SCRAM-SHA-512', t.tokenId));
        await c.close();
      } finally {
        await b.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
