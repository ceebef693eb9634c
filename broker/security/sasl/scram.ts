// SCRAM-SHA-256 / SCRAM-SHA-512 server side (RFC 5802, RFC 7677), as Kafka's ScramSaslServer:
//   client-first  n,[a=authzid],n=<saslname>,r=<client nonce>[,<ext>=<value>]...
//   server-first  r=<client nonce><server nonce>,s=<salt base64>,i=<iterations>
//   client-final  c=<channel binding>,r=<nonce>[,<ext>]...,p=<proof base64>
//   server-final  v=<server signature base64>
// The credential comes from the ScramCredentialStore (broker/security/scram-credentials.ts), or,
// with the `tokenauth=true` extension, from a delegation token (the token id is the user name,
// the token's HMAC the password; its owner becomes the principal). Failures other than a
// mismatched authorization id are SaslFailure: the client gets Kafka's generic message.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type ScramCredential, type ScramMechanismInfo, scram } from '../scram-credentials.js';
import { SaslAuthenticationFailure, SaslFailure, type SaslServer } from './mechanism.js';

export interface ScramCredentialSource {
  user(mechanism: string, user: string): ScramCredential | undefined;
  /** A delegation token's credential and owner, when tokens are enabled. */
  token?(mechanism: string, tokenId: string): { credential: ScramCredential; owner: string; expiresAtMs: number } | undefined;
}

const CLIENT_FIRST = /^n,(?:a=([^,]*))?,n=([^,]+),r=([\x21-\x2b\x2d-\x7e]+)((?:,[a-zA-Z]+=[^,]*)*)$/;
const CLIENT_FINAL = /^c=([a-zA-Z0-9+/]+=*),r=([\x21-\x2b\x2d-\x7e]+)((?:,[a-zA-Z]+=[^,]*)*),p=([a-zA-Z0-9+/]+=*)$/;

/** Kafka's ScramFormatter.username: saslname with =2C and =3D decoded. */
function username(saslName: string): string {
  const decoded = saslName.replace(/=2C/g, ',').replace(/=3D/g, '=');
  if (/=(?!2C|3D)/.test(saslName)) throw new SaslFailure(`Invalid username: ${saslName}`);
  return decoded;
}

export class ScramServer implements SaslServer {
  readonly mechanism: string;
  complete = false;
  authorizationId: string | null = null;
  credentialExpiresAtMs: number | null = null;
  tokenAuthenticated = false;
  private state: 'first' | 'final' | 'done' = 'first';
  private credential: ScramCredential | null = null;
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';

  constructor(
    private readonly info: ScramMechanismInfo,
    private readonly source: ScramCredentialSource,
    /** The server's half of the nonce (RFC 5802 printable chars without ','); tests pass RFC 7677's. */
    private readonly serverNonce: () => string = () => randomBytes(24).toString('base64url').replace(/[-_]/g, 'x'),
  ) {
    this.mechanism = info.name;
  }

  evaluate(token: Buffer): Buffer {
    try {
      if (this.state === 'first') return this.first(token.toString('utf8'));
      if (this.state === 'final') return this.final(token.toString('utf8'));
      throw new SaslFailure(`Unexpected challenge in Sasl server state ${this.complete ? 'COMPLETE' : 'FAILED'}`);
    } catch (err) {
      this.state = 'done';
      this.credential = null;
      throw err;
    }
  }

  private first(text: string): Buffer {
    const m = CLIENT_FIRST.exec(text);
    if (!m) throw new SaslFailure(`Invalid SCRAM client first message format: ${text}`);
    const [, authzid = '', saslName, clientNonce, extText] = m as unknown as [string, string | undefined, string, string, string];
    const extensions = new Map(
      extText
        .split(',')
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]),
    );
    const user = username(saslName);
    if (extensions.get('tokenauth') === 'true') {
      const t = this.source.token?.(this.mechanism, user);
      if (!t) throw new SaslFailure(`Token Authentication failed: Invalid tokenId : ${user}`);
      this.credential = t.credential;
      this.authorizationId = t.owner;
      this.credentialExpiresAtMs = t.expiresAtMs;
      this.tokenAuthenticated = true;
    } else {
      this.credential = this.source.user(this.mechanism, user) ?? null;
      this.authorizationId = user;
    }
    if (!this.credential) throw new SaslFailure('Authentication failed: Invalid user credentials');
    if (authzid !== '' && authzid !== user) {
      throw new SaslAuthenticationFailure('Authentication failed: Client requested an authorization id that is different from username');
    }
    if (this.credential.iterations < this.info.minIterations) {
      throw new SaslFailure(
        `Iterations ${this.credential.iterations} is less than the minimum ${this.info.minIterations} for ${this.mechanism}`,
      );
    }
    this.clientFirstBare = text.slice(text.indexOf('n=', 2));
    this.nonce = clientNonce + this.serverNonce();
    this.serverFirst = `r=${this.nonce},s=${this.credential.salt.toString('base64')},i=${this.credential.iterations}`;
    this.state = 'final';
    return Buffer.from(this.serverFirst, 'utf8');
  }

  private final(text: string): Buffer {
    const m = CLIENT_FINAL.exec(text);
    if (!m) throw new SaslFailure(`Invalid SCRAM client final message format: ${text}`);
    const [, , nonce, , proofText] = m as unknown as [string, string, string, string, string];
    // Kafka's ScramSaslServer checks endsWith, not equality; librdkafka 2.0 sends the client nonce twice
    // (client nonce + the server's combined nonce) and relies on it.
    if (!nonce.endsWith(this.nonce)) throw new SaslFailure('Invalid client nonce in the final client message.');
    const credential = this.credential!;
    const withoutProof = text.slice(0, text.lastIndexOf(',p='));
    const authMessage = Buffer.from(`${this.clientFirstBare},${this.serverFirst},${withoutProof}`, 'utf8');
    const clientSignature = scram.hmac(this.info, credential.storedKey, authMessage);
    const proof = Buffer.from(proofText, 'base64');
    if (proof.length !== clientSignature.length) throw new SaslFailure('Invalid client credentials');
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ clientSignature[i]!;
    if (!timingSafeEqual(scram.hash(this.info, clientKey), credential.storedKey)) throw new SaslFailure('Invalid client credentials');
    const serverSignature = scram.hmac(this.info, credential.serverKey, authMessage);
    this.credential = null;
    this.state = 'done';
    this.complete = true;
    return Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8');
  }
}
