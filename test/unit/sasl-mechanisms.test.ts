// The SASL mechanisms' server sides without a socket: SCRAM-SHA-256 against RFC 7677's worked
// example (and SCRAM-SHA-512 against a client computed here from RFC 5802's formulas), PLAIN's
// messages, Kafka's JAAS syntax, the unsecured OAUTHBEARER validator's claims and error JSON,
// and the SCRAM credential store's answers (Kafka's ScramControlManager rules).

import assert from 'node:assert/strict';
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { describe, test } from 'node:test';
import { silentLogger } from '../../broker/logger.js';
import { JaasConfigError, parseJaasConfig, plainUsers } from '../../broker/security/sasl/jaas.js';
import { SaslAuthenticationFailure, SaslFailure } from '../../broker/security/sasl/mechanism.js';
import { OAuthBearerServer, unsecuredValidator } from '../../broker/security/sasl/oauthbearer.js';
import { PlainServer } from '../../broker/security/sasl/plain.js';
import { ScramServer } from '../../broker/security/sasl/scram.js';
import { ScramCredentialStore, scram, scramMechanism } from '../../broker/security/scram-credentials.js';
import { MemoryStore } from '../../storage/memory-store.js';

const SHA256 = scramMechanism('SCRAM-SHA-256')!;
const SHA512 = scramMechanism('SCRAM-SHA-512')!;

describe('SCRAM server (RFC 5802 / RFC 7677)', () => {
  test("RFC 7677 section 3's SCRAM-SHA-256 exchange, byte for byte", () => {
    const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
    const credential = scram.fromSaltedPassword(SHA256, scram.saltedPassword(SHA256, 'pencil', salt, 4096), salt, 4096);
    const server = new ScramServer(SHA256, { user: (m, u) => (m === 'SCRAM-SHA-256' && u === 'user' ? credential : undefined) }, () => {
      return '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
    });
    const first = server.evaluate(Buffer.from('n,,n=user,r=rOprNGfwEbeRWgbNEkqO'));
    assert.equal(first.toString(), 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096');
    assert.equal(server.complete, false);
    const final = server.evaluate(
      Buffer.from('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ='),
    );
    assert.equal(final.toString(), 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
    assert.equal(server.complete, true);
    assert.equal(server.authorizationId, 'user');
  });

  /** An RFC 5802 client, written from the RFC's formulas (independent of broker/security/scram-credentials.ts). */
  function clientFinal(
    hash: 'sha256' | 'sha512',
    len: number,
    password: string,
    clientFirstBare: string,
    serverFirst: string,
    noncePrefix = '',
  ) {
    const attrs = new Map(serverFirst.split(',').map((kv) => [kv[0], kv.slice(2)]));
    const salted = pbkdf2Sync(password, Buffer.from(attrs.get('s')!, 'base64'), Number(attrs.get('i')), len, hash);
    const clientKey = createHmac(hash, salted).update('Client Key').digest();
    const storedKey = createHash(hash).update(clientKey).digest();
    const withoutProof = `c=biws,r=${noncePrefix}${attrs.get('r')}`;
    const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = createHmac(hash, storedKey).update(authMessage).digest();
    const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]!));
    const serverKey = createHmac(hash, salted).update('Server Key').digest();
    return {
      message: `${withoutProof},p=${proof.toString('base64')}`,
      verifier: `v=${createHmac(hash, serverKey).update(authMessage).digest('base64')}`,
    };
  }

  test('SCRAM-SHA-512 with 8192 iterations: a right password completes, a wrong one is a SaslFailure (message kept secret)', () => {
    const credential = scram.fromPassword(SHA512, 'bob-secret', 8192);
    const source = { user: (_m: string, u: string) => (u === 'bob' ? credential : undefined) };
    const ok = new ScramServer(SHA512, source);
    const serverFirst = ok.evaluate(Buffer.from('n,,n=bob,r=abcdef')).toString();
    assert.match(serverFirst, /^r=abcdef[^,]+,s=[^,]+,i=8192$/);
    const { message, verifier } = clientFinal('sha512', 64, 'bob-secret', 'n=bob,r=abcdef', serverFirst);
    assert.equal(ok.evaluate(Buffer.from(message)).toString(), verifier);
    assert.equal(ok.complete, true);

    // Kafka accepts a final nonce that ends with the combined nonce (ScramSaslServer's endsWith): librdkafka 2.0 sends
    // client nonce + combined nonce, and authenticates against Kafka.
    const rd = new ScramServer(SHA512, source);
    const rdFirst = rd.evaluate(Buffer.from('n,,n=bob,r=abcdef')).toString();
    const rdFinal = clientFinal('sha512', 64, 'bob-secret', 'n=bob,r=abcdef', rdFirst, 'abcdef');
    assert.equal(rd.evaluate(Buffer.from(rdFinal.message)).length > 0, true);
    assert.equal(rd.complete, true);

    const bad = new ScramServer(SHA512, source);
    const sf = bad.evaluate(Buffer.from('n,,n=bob,r=abcdef')).toString();
    const wrong = clientFinal('sha512', 64, 'not-it', 'n=bob,r=abcdef', sf);
    assert.throws(
      () => bad.evaluate(Buffer.from(wrong.message)),
      (e: Error) => e instanceof SaslFailure && !(e instanceof SaslAuthenticationFailure),
    );
    assert.equal(bad.complete, false);
    // An unknown user fails at the first message, the same way.
    const unknown = new ScramServer(SHA512, source);
    assert.throws(
      () => unknown.evaluate(Buffer.from('n,,n=nobody,r=abc')),
      (e: Error) => e instanceof SaslFailure && !(e instanceof SaslAuthenticationFailure),
    );
  });

  test('saslname escapes (=2C, =3D) and an authorization id other than the user', () => {
    const credential = scram.fromPassword(SHA256, 'pw');
    const seen: string[] = [];
    const s = new ScramServer(SHA256, {
      user: (_m, u) => {
        seen.push(u);
        return credential;
      },
    });
    s.evaluate(Buffer.from('n,,n=a=2Cb=3Dc,r=xyz'));
    assert.deepEqual(seen, ['a,b=c']);
    const other = new ScramServer(SHA256, { user: () => credential });
    assert.throws(
      () => other.evaluate(Buffer.from('n,a=admin,n=alice,r=xyz')),
      (e: Error) =>
        e instanceof SaslAuthenticationFailure &&
        e.message === 'Authentication failed: Client requested an authorization id that is different from username',
    );
  });
});

describe('PLAIN and JAAS', () => {
  const JAAS =
    'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" ' +
    'user_admin="admin-secret" user_alice="alice-secret";';

  test("Kafka's JAAS line gives the PLAIN users; malformed lines are refused", () => {
    const modules = parseJaasConfig(JAAS);
    assert.equal(modules.length, 1);
    assert.equal(modules[0]!.loginModule, 'org.apache.kafka.common.security.plain.PlainLoginModule');
    assert.equal(modules[0]!.flag, 'required');
    assert.equal(modules[0]!.options.get('username'), 'admin');
    assert.deepEqual(
      [...plainUsers(modules)],
      [
        ['admin', 'admin-secret'],
        ['alice', 'alice-secret'],
      ],
    );
    assert.deepEqual(
      [...parseJaasConfig('M optional a="x \\"y\\"" b=plain;')[0]!.options],
      [
        ['a', 'x "y"'],
        ['b', 'plain'],
      ],
    );
    assert.throws(() => parseJaasConfig('M required a="1"'), JaasConfigError);
    assert.throws(() => parseJaasConfig('M mandatory a="1";'), JaasConfigError);
    assert.throws(() => parseJaasConfig(''), JaasConfigError);
  });

  test("PLAIN: Kafka's messages, sent to the client", () => {
    const users = plainUsers(parseJaasConfig(JAAS));
    const ok = new PlainServer(users);
    assert.equal(ok.evaluate(Buffer.from('\u0000alice\u0000alice-secret')).length, 0);
    assert.equal(ok.authorizationId, 'alice');
    const cases: Array<[string, string]> = [
      ['\u0000alice\u0000wrong', 'Authentication failed: Invalid username or password'],
      ['\u0000bob\u0000alice-secret', 'Authentication failed: Invalid username or password'],
      ['\u0000\u0000x', 'Authentication failed: username not specified'],
      ['\u0000alice\u0000', 'Authentication failed: password not specified'],
      ['admin\u0000alice\u0000alice-secret', 'Authentication failed: Client requested an authorization id that is different from username'],
      ['alice', 'Invalid SASL/PLAIN response: expected 3 tokens, got 1'],
    ];
    for (const [token, message] of cases) {
      assert.throws(
        () => new PlainServer(users).evaluate(Buffer.from(token)),
        (e: Error) => e instanceof SaslAuthenticationFailure && e.message === message,
        JSON.stringify(token),
      );
    }
  });
});

describe('OAUTHBEARER unsecured validator (OAuthBearerUnsecuredValidatorCallbackHandler)', () => {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const jwt = (claims: object, header: object = { alg: 'none' }) => `${b64(header)}.${b64(claims)}.`;
  const initial = (token: string, authzid = '') => Buffer.from(`n,${authzid ? `a=${authzid}` : ''},\u0001auth=Bearer ${token}\u0001\u0001`);
  const NOW = 1_700_000_000_000;
  const server = (requiredScope: string[] = []) =>
    new OAuthBearerServer(unsecuredValidator({ principalClaim: 'sub', scopeClaim: 'scope', requiredScope, clockSkewMs: 0 }), () => NOW);

  test('a valid token: the sub is the principal, exp bounds the session', async () => {
    const s = server(['read']);
    const out = await s.evaluate(initial(jwt({ sub: 'carol', exp: NOW / 1000 + 60, iat: NOW / 1000, scope: 'read write' })));
    assert.equal(out.length, 0);
    assert.equal(s.complete, true);
    assert.equal(s.authorizationId, 'carol');
    assert.equal(s.credentialExpiresAtMs, NOW + 60_000);
  });

  test("rejected tokens answer Kafka's error JSON as a challenge, then fail on the client's %x01", async () => {
    const cases: Array<[string, string[], string]> = [
      [jwt({ sub: 'carol', exp: NOW / 1000 - 1 }), [], '{"status":"invalid_token"}'],
      [jwt({ exp: NOW / 1000 + 60 }), [], '{"status":"invalid_token"}'],
      [jwt({ sub: 'carol', exp: NOW / 1000 + 60 }, { alg: 'HS256' }), [], '{"status":"invalid_token"}'],
      [jwt({ sub: 'carol', exp: NOW / 1000 + 60, scope: 'read' }), ['write'], '{"status":"insufficient_scope", "scope":"[write]"}'],
    ];
    for (const [token, scope, json] of cases) {
      const s = server(scope);
      assert.equal((await s.evaluate(initial(token))).toString(), json);
      assert.equal(s.complete, false);
      await assert.rejects(s.evaluate(Buffer.from([1])), (e: Error) => e instanceof SaslAuthenticationFailure && e.message === json);
    }
  });
});

describe('SCRAM credential store (DescribeUserScramCredentials / AlterUserScramCredentials rules)', () => {
  const store = () => new ScramCredentialStore(new MemoryStore({ nodeId: 1 }), silentLogger());
  const upsert = (name: string, mechanism: number, iterations = 4096) => ({
    name,
    mechanism,
    iterations,
    salt: Buffer.from('salt'),
    saltedPassword: scram.saltedPassword(mechanism === 1 ? SHA256 : SHA512, 'pw', Buffer.from('salt'), iterations),
  });

  test("alter: Kafka's errors per user; describe lists mechanisms and iterations", () => {
    const s = store();
    const r = s.alter({
      deletions: [{ name: 'ghost', mechanism: 1 }],
      upsertions: [upsert('alice', 1, 8192), upsert('bob', 2), upsert('bob', 1), upsert('', 1), upsert('carl', 3), upsert('dan', 1, 100)],
    });
    assert.deepEqual(r, [
      { user: 'alice', errorCode: 0, errorMessage: null },
      { user: 'ghost', errorCode: 91, errorMessage: 'Attempt to delete a user credential that does not exist' },
      { user: 'bob', errorCode: 92, errorMessage: 'A user credential cannot be altered twice in the same request' },
      { user: '', errorCode: 93, errorMessage: 'Username must not be empty' },
      { user: 'carl', errorCode: 33, errorMessage: 'Unknown SCRAM mechanism' },
      { user: 'dan', errorCode: 93, errorMessage: 'Too few iterations' },
    ]);
    assert.deepEqual(s.describe(null), [
      { user: 'alice', errorCode: 0, errorMessage: '', credentialInfos: [{ mechanism: 1, iterations: 8192 }] },
    ]);
    assert.deepEqual(s.describe([{ name: 'zed' }, { name: 'alice' }, { name: 'alice' }]), [
      { user: 'zed', errorCode: 91, errorMessage: 'Attempt to describe a user credential that does not exist: zed', credentialInfos: [] },
      {
        user: 'alice',
        errorCode: 92,
        errorMessage: 'Cannot describe SCRAM credentials for the same user twice in a single request: alice',
        credentialInfos: [],
      },
    ]);
    // The stored keys are RFC 5802's: a SCRAM exchange with the altered password succeeds.
    const stored = s.get('SCRAM-SHA-256', 'alice')!;
    const salted = scram.saltedPassword(SHA256, 'pw', Buffer.from('salt'), 8192);
    assert.deepEqual(stored.storedKey, scram.hash(SHA256, scram.hmac(SHA256, salted, 'Client Key')));
  });
});
