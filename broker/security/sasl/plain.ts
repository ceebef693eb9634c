// SASL/PLAIN (RFC 4616) server side, as Kafka's PlainSaslServer with PlainServerCallbackHandler:
// `[authzid] NUL authcid NUL passwd`, checked against the `user_<name>="<password>"` options of
// the listener's PlainLoginModule JAAS config. Every failure message is one Kafka sends.

import { timingSafeEqual } from 'node:crypto';
import { SaslAuthenticationFailure, type SaslServer } from './mechanism.js';

export class PlainServer implements SaslServer {
  readonly mechanism = 'PLAIN';
  complete = false;
  authorizationId: string | null = null;
  readonly credentialExpiresAtMs = null;

  constructor(private readonly users: ReadonlyMap<string, string>) {}

  evaluate(token: Buffer): Buffer {
    const parts = token.toString('utf8').split('\u0000');
    if (parts.length !== 3) throw new SaslAuthenticationFailure(`Invalid SASL/PLAIN response: expected 3 tokens, got ${parts.length}`);
    const [authzid, username, password] = parts as [string, string, string];
    if (username === '') throw new SaslAuthenticationFailure('Authentication failed: username not specified');
    if (password === '') throw new SaslAuthenticationFailure('Authentication failed: password not specified');
    const expected = this.users.get(username);
    if (expected === undefined || !sameText(expected, password)) {
      throw new SaslAuthenticationFailure('Authentication failed: Invalid username or password');
    }
    if (authzid !== '' && authzid !== username) {
      throw new SaslAuthenticationFailure('Authentication failed: Client requested an authorization id that is different from username');
    }
    this.authorizationId = username;
    this.complete = true;
    return Buffer.alloc(0);
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
