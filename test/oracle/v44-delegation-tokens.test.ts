// Delegation tokens on a SASL_PLAINTEXT listener, kafkalite against Kafka 4.4 started with the same
// listeners, PLAIN users, delegation.token.secret.key and StandardAuthorizer
// (allow.everyone.if.no.acl.found=true, super user admin): create for oneself and for another
// owner (allowed, and DELEGATION_TOKEN_AUTHORIZATION_FAILED once an ACL guards the owner), the
// lifetimes, the HMAC (HmacSHA512 of the token id under the secret), describe as owner, requester,
// renewer and stranger, renew and expire (owner mismatch, not found, expired), SCRAM logins with
// `tokenauth=true` (the wire client below speaks RFC 5802) and what a token-authenticated
// connection may not do, and the refused login of a removed token. The PLAINTEXT refusals are in
// the wire corpus (test/oracle/scenarios/delegation-tokens.ts).

import assert from 'node:assert/strict';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Broker } from '../../broker/index.js';
import {
  AlterUserScramCredentials,
  CreateAcls,
  CreateTopics,
  DescribeUserScramCredentials,
  CreateDelegationToken,
  DescribeAcls,
  DescribeDelegationToken,
  ExpireDelegationToken,
  RenewDelegationToken,
  SaslAuthenticate,
  SaslHandshake,
} from '../../protocol/messages/index.js';
import { Kafka, logLevel } from 'kafkajs';
import { WireClient } from '../integration/wire-client.js';
import { JAVA_PROGRAMS, javaOk, type RealKafka } from '../jvm/kafka.js';
import { startSaslPair, type SaslPair } from './sasl-pair.js';

const SECRET = 'kafkalite-oracle-token-secret';
const JAAS =
  'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" ' +
  'user_admin="admin-secret" user_alice="alice-secret" user_bob="bob-secret" user_carol="carol-secret";';
const CONFIG = {
  'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
  'listener.name.sasl_plaintext.plain.sasl.jaas.config': JAAS,
  'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
  'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
  'delegation.token.secret.key': SECRET,
  'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
  'allow.everyone.if.no.acl.found': 'true',
  'super.users': 'User:admin',
};

interface Target {
  plain: string;
  sasl: string;
}

type Res = Record<string, unknown>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function plainLogin(t: Target, user: string): Promise<WireClient> {
  const c = await WireClient.connect(t.sasl);
  await c.send(SaslHandshake, 1, { mechanism: 'PLAIN' });
  const r = await c.send(SaslAuthenticate, 2, { authBytes: Buffer.from(`\u0000${user}\u0000${user}-secret`) });
  assert.equal(r.errorCode, 0, `PLAIN login of ${user}`);
  return c;
}

/** A SCRAM login (RFC 5802) with the tokenauth extension: the client, or the refusal. */
async function tokenLogin(
  t: Target,
  mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512',
  tokenId: string,
  password: string,
): Promise<{ client: WireClient } | { errorCode: number; errorMessage: string | null }> {
  const [hash, len] = mechanism === 'SCRAM-SHA-256' ? (['sha256', 32] as const) : (['sha512', 64] as const);
  const c = await WireClient.connect(t.sasl);
  await c.send(SaslHandshake, 1, { mechanism });
  const bare = `n=${tokenId},r=${randomBytes(18).toString('base64url')},tokenauth=true`;
  const first = await c.send(SaslAuthenticate, 2, { authBytes: Buffer.from(`n,,${bare}`) });
  if (first.errorCode !== 0) {
    await c.close().catch(() => {});
    return { errorCode: first.errorCode, errorMessage: first.errorMessage };
  }
  const serverFirst = Buffer.from(first.authBytes).toString();
  const attrs = new Map(serverFirst.split(',').map((kv) => [kv[0], kv.slice(2)]));
  const salted = pbkdf2Sync(password, Buffer.from(attrs.get('s')!, 'base64'), Number(attrs.get('i')), len, hash);
  const clientKey = createHmac(hash, salted).update('Client Key').digest();
  const storedKey = createHash(hash).update(clientKey).digest();
  const withoutProof = `c=biws,r=${attrs.get('r')}`;
  const signature = createHmac(hash, storedKey).update(`${bare},${serverFirst},${withoutProof}`).digest();
  const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]!));
  const final = await c.send(SaslAuthenticate, 2, { authBytes: Buffer.from(`${withoutProof},p=${proof.toString('base64')}`) });
  if (final.errorCode !== 0) {
    await c.close().catch(() => {});
    return { errorCode: final.errorCode, errorMessage: final.errorMessage };
  }
  return { client: c };
}

const create = (c: WireClient, o: { owner?: string; renewers?: string[]; maxLifetimeMs?: number } = {}) =>
  c.send(CreateDelegationToken, 3, {
    ownerPrincipalType: o.owner ? 'User' : null,
    ownerPrincipalName: o.owner ?? null,
    renewers: (o.renewers ?? []).map((n) => ({ principalType: 'User', principalName: n })),
    maxLifetimeMs: o.maxLifetimeMs ?? -1,
  });

type Created = Awaited<ReturnType<typeof create>>;
/** A create answer without what differs by construction (ids, times): lifetimes and HMAC checked. */
const shape = (r: Created): Res => ({
  errorCode: r.errorCode,
  owner: `${r.principalType}:${r.principalName}`,
  requester: `${r.tokenRequesterPrincipalType}:${r.tokenRequesterPrincipalName}`,
  maxLife: r.maxTimestampMs - r.issueTimestampMs,
  renewLife: r.expiryTimestampMs - r.issueTimestampMs,
  idLength: r.tokenId.length,
  hmacIsKafkas: r.tokenId !== '' && Buffer.from(r.hmac).equals(createHmac('sha512', SECRET).update(r.tokenId).digest()),
});

/** The tokens a connection sees (owner/requester/renewers), sorted; ids replaced by their labels. */
async function seen(c: WireClient, owners: string[] | null, labels: Map<string, string>): Promise<Res> {
  const r = await c.send(DescribeDelegationToken, 3, {
    owners: owners === null ? null : owners.map((n) => ({ principalType: 'User', principalName: n })),
  });
  return {
    errorCode: r.errorCode,
    tokens: r.tokens
      .map(
        (x) =>
          `${labels.get(x.tokenId) ?? '?'} ${x.principalName}/${x.tokenRequesterPrincipalName}/${x.renewers.map((y) => y.principalName).join(',')}`,
      )
      .sort(),
  };
}

/** Wait until the token is listed (or gone): Kafka's broker cache follows the controller. */
async function settled(c: WireClient, tokenId: string, present = true): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await c.send(DescribeDelegationToken, 3, { owners: null });
    if (r.tokens.some((x) => x.tokenId === tokenId) === present) return;
    await sleep(50);
  }
}

/** Wait until the ACLs on a resource are `count` (Kafka's authorizer follows the metadata log). */
async function aclsSettled(c: WireClient, resourceType: number, name: string, count: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await c.send(DescribeAcls, 3, {
      resourceTypeFilter: resourceType,
      resourceNameFilter: name,
      patternTypeFilter: 3,
      principalFilter: null,
      hostFilter: null,
      operation: 1,
      permissionType: 1,
    });
    if (r.resources.reduce((n, x) => n + x.acls.length, 0) === count) return;
    await sleep(50);
  }
}

async function observe(t: Target): Promise<Res> {
  const out: Res = {};
  const alice = await plainLogin(t, 'alice');
  const bob = await plainLogin(t, 'bob');
  const admin = await plainLogin(t, 'admin');
  const carol = await plainLogin(t, 'carol');
  const labels = new Map<string, string>();

  // 1. Create: for oneself (renewer bob, 60 s max life), for another owner (no ACL on the owner: allowed).
  const t1 = await create(alice, { renewers: ['bob'], maxLifetimeMs: 60_000 });
  labels.set(t1.tokenId, 't1');
  out.createOwn = shape(t1);
  const t2 = await create(carol, { owner: 'bob' });
  labels.set(t2.tokenId, 't2');
  out.createForOther = shape(t2);
  out.badRenewer = shape(
    await alice.send(CreateDelegationToken, 3, {
      ownerPrincipalType: null,
      ownerPrincipalName: null,
      renewers: [{ principalType: 'Group', principalName: 'ops' }],
      maxLifetimeMs: -1,
    }),
  );
  // An ACL on the USER resource User:bob (CreateTokens for admin only): carol may no longer create for bob; the super user may.
  const acl = await admin.send(CreateAcls, 3, {
    creations: [
      {
        resourceType: 7,
        resourceName: 'User:bob',
        resourcePatternType: 3,
        principal: 'User:admin',
        host: '*',
        operation: 13,
        permissionType: 3,
      },
    ],
  });
  out.acl = acl.results.map((r) => r.errorCode);
  await aclsSettled(admin, 7, 'User:bob', 1);
  out.createForOtherDenied = shape(await create(carol, { owner: 'bob' }));
  const t4 = await create(admin, { owner: 'bob' });
  labels.set(t4.tokenId, 't4');
  out.createForOtherBySuperUser = shape(t4);
  for (const x of [t1, t2, t4]) await settled(alice, x.tokenId);

  // 2. Describe: owner, renewer, requester, stranger, super user, owner filters.
  out.describeAlice = await seen(alice, null, labels);
  out.describeBob = await seen(bob, null, labels);
  out.describeCarol = await seen(carol, null, labels);
  out.describeBobForAlice = await seen(bob, ['alice'], labels);
  out.describeCarolForAlice = await seen(carol, ['alice'], labels);
  out.describeEmpty = await seen(alice, [], labels);

  // 3. Renew and expire: the requester is no renewer, an unknown HMAC is not found.
  out.renewByRequester = (await carol.send(RenewDelegationToken, 2, { hmac: t2.hmac, renewPeriodMs: 1000 })).errorCode;
  const renewed = await bob.send(RenewDelegationToken, 2, { hmac: t1.hmac, renewPeriodMs: 1000 });
  out.renewByRenewer = { errorCode: renewed.errorCode, capped: renewed.expiryTimestampMs <= t1.maxTimestampMs };
  out.renewUnknown = await alice.send(RenewDelegationToken, 2, { hmac: Buffer.alloc(64, 9), renewPeriodMs: 1000 });
  out.expireByStranger = (await carol.send(ExpireDelegationToken, 2, { hmac: t1.hmac, expiryTimePeriodMs: 1000 })).errorCode;

  // 4. Logins with the token, both mechanisms; such a connection may not manage tokens.
  const password = Buffer.from(t1.hmac).toString('base64');
  let login: Awaited<ReturnType<typeof tokenLogin>> = { errorCode: -1, errorMessage: null };
  for (let i = 0; i < 100; i++) {
    login = await tokenLogin(t, 'SCRAM-SHA-512', t1.tokenId, password);
    if ('client' in login) break;
    await sleep(50);
  }
  out.tokenLogin512 = 'client' in login ? 'ok' : login;
  if ('client' in login) {
    const r = await create(login.client);
    out.createWithToken = { errorCode: r.errorCode, owner: r.principalName, issue: r.issueTimestampMs };
    out.describeWithToken = await seen(login.client, null, labels);
    out.renewWithToken = await login.client.send(RenewDelegationToken, 2, { hmac: t1.hmac, renewPeriodMs: 1000 });
    await login.client.close();
  }
  const login256 = await tokenLogin(t, 'SCRAM-SHA-256', t1.tokenId, password);
  out.tokenLogin256 = 'client' in login256 ? 'ok' : login256;
  if ('client' in login256) await login256.client.close();
  out.wrongPassword = await tokenLogin(t, 'SCRAM-SHA-256', t1.tokenId, 'not-the-hmac');

  // 5. A token past its expiry (1 s max life): EXPIRED for renew and expire with a period; -1 removes it.
  const t3 = await create(alice, { maxLifetimeMs: 1000 });
  labels.set(t3.tokenId, 't3');
  out.createShort = shape(t3);
  await settled(alice, t3.tokenId);
  await sleep(1200);
  out.renewExpired = (await alice.send(RenewDelegationToken, 2, { hmac: t3.hmac, renewPeriodMs: 1000 })).errorCode;
  out.expireExpired = (await alice.send(ExpireDelegationToken, 2, { hmac: t3.hmac, expiryTimePeriodMs: 1000 })).errorCode;
  out.expireExpiredNow = (await alice.send(ExpireDelegationToken, 2, { hmac: t3.hmac, expiryTimePeriodMs: -1 })).errorCode;

  // 6. Expire t1 at once: gone for renew, describe and login.
  out.expireNow = (await alice.send(ExpireDelegationToken, 2, { hmac: t1.hmac, expiryTimePeriodMs: -1 })).errorCode;
  await settled(alice, t1.tokenId, false);
  out.renewRemoved = (await bob.send(RenewDelegationToken, 2, { hmac: t1.hmac, renewPeriodMs: 1000 })).errorCode;
  out.describeAfter = await seen(alice, null, labels);
  out.loginRemoved = await tokenLogin(t, 'SCRAM-SHA-256', t1.tokenId, password);
  for (const c of [alice, bob, admin, carol]) await c.close().catch(() => {});
  return out;
}

// ---------------------------------------------------------------------------------------------
// SASL principals against ACLs (the same brokers): SCRAM users alice and bob, ACLs letting
// User:alice write and read a topic and read a group, User:bob only read the topic; bob's producer
// is refused on the topic, his consumer on the group, as each client reports it.

const ACL_TOPIC = 'acl-t';
const ACL_GROUP = 'acl-g';

/** Over PLAINTEXT (User:ANONYMOUS, allowed everything without ACLs): SCRAM users, the topic, alice's ACLs; settled. */
async function aclSetup(t: Target): Promise<void> {
  const c = await WireClient.connect(t.plain);
  const salt = Buffer.alloc(16, 5);
  await c.send(AlterUserScramCredentials, 0, {
    deletions: [],
    upsertions: ['alice', 'bob'].map((name) => ({
      name,
      mechanism: 1,
      iterations: 4096,
      salt,
      saltedPassword: pbkdf2Sync(`${name}-scram`, salt, 4096, 32, 'sha256'),
    })),
  });
  await c.send(CreateTopics, 7, {
    topics: [{ name: ACL_TOPIC, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
    timeoutMs: 30_000,
    validateOnly: false,
  });
  const acl = (resourceType: number, resourceName: string, operation: number, principal = 'User:alice') => ({
    resourceType,
    resourceName,
    resourcePatternType: 3,
    principal,
    host: '*',
    operation,
    permissionType: 3,
  });
  // alice: Write and Read on the topic, Read on the group; bob: Read on the topic only (so his consumer gets as far as the group).
  const created = await c.send(CreateAcls, 3, {
    creations: [acl(2, ACL_TOPIC, 4), acl(2, ACL_TOPIC, 3), acl(3, ACL_GROUP, 3), acl(2, ACL_TOPIC, 3, 'User:bob')],
  });
  assert.deepEqual(
    created.results.map((r) => r.errorCode),
    [0, 0, 0, 0],
  );
  await aclsSettled(c, 2, ACL_TOPIC, 3);
  await aclsSettled(c, 3, ACL_GROUP, 1);
  for (let i = 0; i < 100; i++) {
    const d = await c.send(DescribeUserScramCredentials, 0, { users: [{ name: 'alice' }, { name: 'bob' }] });
    if (d.results.every((r) => r.errorCode === 0)) break;
    await sleep(50);
  }
  await c.close();
}

/** kafkajs (SCRAM-SHA-256): one record produced, then a group consumer; the outcome of each. */
async function kafkajsOutcome(bootstrap: string, user: string): Promise<Res> {
  const kafka = new Kafka({
    brokers: [bootstrap],
    sasl: { mechanism: 'scram-sha-256', username: user, password: `${user}-scram` },
    logLevel: logLevel.NOTHING,
    retry: { retries: 1, initialRetryTime: 100 },
  });
  const errorOf = (e: unknown): string => {
    const x = e as { type?: string; name?: string; cause?: { type?: string } };
    return x.type ?? x.cause?.type ?? x.name ?? String(e);
  };
  const out: Res = {};
  const p = kafka.producer();
  try {
    await p.connect();
    await p.send({ topic: ACL_TOPIC, messages: [{ partition: 0, value: `kafkajs-${user}` }] });
    out.produce = 'ok';
  } catch (e) {
    out.produce = errorOf(e);
  } finally {
    await p.disconnect().catch(() => {});
  }
  const c = kafka.consumer({ groupId: `${ACL_GROUP}`, retry: { retries: 0 } });
  out.consume = await new Promise<string>((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), 20_000);
    const done = (v: string) => {
      clearTimeout(timer);
      resolve(v);
    };
    c.on(c.events.CRASH, (e) => done(errorOf(e.payload.error)));
    c.connect()
      .then(() => c.subscribe({ topic: ACL_TOPIC, fromBeginning: true }))
      .then(() => c.run({ eachMessage: async () => done('ok') }))
      .catch((e: unknown) => done(errorOf(e)));
  });
  await c.disconnect().catch(() => {});
  return out;
}

describe('delegation tokens on SASL_PLAINTEXT: kafkalite vs Kafka 4.4', () => {
  let pair: SaslPair;
  let kafka: RealKafka;
  let broker: Broker;
  let kafkaSasl: string;

  before(async () => {
    pair = await startSaslPair(CONFIG);
    ({ kafka, broker, kafkaSasl } = pair);
  });
  after(async () => {
    await pair?.stop();
  });

  test('create, describe, renew, expire, token logins and their refusals agree', async () => {
    const [theirs, ours] = await Promise.all([
      observe({ plain: kafka.bootstrap, sasl: kafkaSasl }),
      observe({ plain: broker.listeners[0]!.bootstrap, sasl: broker.listeners[1]!.bootstrap }),
    ]);
    assert.deepEqual(ours, theirs);
    // What they agree on is what Kafka's code says.
    assert.deepEqual(theirs.createOwn, {
      errorCode: 0,
      owner: 'User:alice',
      requester: 'User:alice',
      maxLife: 60_000,
      renewLife: 60_000,
      idLength: 22,
      hmacIsKafkas: true,
    });
    assert.equal((theirs.createForOtherDenied as Res).errorCode, 65);
    assert.equal(theirs.tokenLogin512, 'ok');
    assert.equal((theirs.createWithToken as Res).errorCode, 64);
    assert.equal(theirs.renewExpired, 66);
    assert.equal((theirs.loginRemoved as Res).errorCode, 58);
  });

  test('SCRAM principals against ACLs: alice produces and reads, bob is refused (Java client, kafkajs), as on Kafka', async () => {
    const targets = {
      kafka: { plain: kafka.bootstrap, sasl: kafkaSasl },
      kafkalite: { plain: broker.listeners[0]!.bootstrap, sasl: broker.listeners[1]!.bootstrap },
    };
    await Promise.all(Object.values(targets).map(aclSetup));
    const cases = Object.values(targets).flatMap((t) =>
      ['alice', 'bob'].map((u) => `${t.sasl},SCRAM-SHA-256,${u},${u}-scram,${ACL_TOPIC},${ACL_GROUP}`),
    );
    const r = await javaOk([join(JAVA_PROGRAMS, 'SaslAcls.java'), ...cases], { timeoutMs: 180_000 });
    const java = r.stdout
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Res);
    const table = (sasl: string) =>
      Object.fromEntries(java.filter((x) => x.bootstrap === sasl).map((x) => [x.user, { produce: x.produce, consume: x.consume }]));
    const javaKafka = table(targets.kafka.sasl);
    assert.deepEqual(table(targets.kafkalite.sasl), javaKafka);
    assert.deepEqual(javaKafka, {
      alice: { produce: 'ok', consume: 'ok' },
      bob: { produce: 'TopicAuthorizationException', consume: 'GroupAuthorizationException' },
    });
    const js: Record<string, Res> = {};
    for (const [name, t] of Object.entries(targets)) {
      js[name] = { alice: await kafkajsOutcome(t.sasl, 'alice'), bob: await kafkajsOutcome(t.sasl, 'bob') };
    }
    assert.deepEqual(js.kafkalite, js.kafka);
    assert.deepEqual(js.kafka, {
      alice: { produce: 'ok', consume: 'ok' },
      // kafkajs 2.2 drops FindCoordinator's GROUP_AUTHORIZATION_FAILED in BrokerPool.withBroker and reports its own error.
      bob: { produce: 'TOPIC_AUTHORIZATION_FAILED', consume: 'KafkaJSGroupCoordinatorNotFound' },
    });
  });
});
