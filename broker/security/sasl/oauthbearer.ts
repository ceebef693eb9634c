// SASL/OAUTHBEARER (RFC 7628) server side, as Kafka's OAuthBearerSaslServer. The client's initial
// response is `n,[a=authzid],^Aauth=Bearer <token>^A[key=value^A]...^A`. A token that does not
// validate is answered with a challenge holding Kafka's error JSON ({"status":"invalid_token"},
// or "insufficient_scope" with the scope); the client replies ^A and the exchange fails with that
// JSON as the message.
//
// Two validators:
// - unsecured (Kafka's OAuthBearerUnsecuredValidatorCallbackHandler, the default, for development):
//   an unsigned JWS (alg none); the principal claim (unsecuredValidatorPrincipalClaimName, `sub`)
//   must be a string, `iat` if present not in the future, `exp` present and not past (both with
//   unsecuredValidatorAllowableClockSkewMs), exp after iat, unsecuredValidatorRequiredScope
//   (space-separated) all in the scope claim (unsecuredValidatorScopeClaimName, `scope`);
// - JWKS (Kafka's OAuthBearerValidatorCallbackHandler, when sasl.oauthbearer.jwks.endpoint.url is
//   set): a signed JWT checked with jose against the key set (an https URL or a file: URL), with
//   sasl.oauthbearer.expected.audience / expected.issuer, clock skew from
//   sasl.oauthbearer.clock.skew.seconds, principal from sasl.oauthbearer.sub.claim.name.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { JWTVerifyGetKey } from 'jose';
import { SaslAuthenticationFailure, SaslFailure, type SaslServer } from './mechanism.js';

export interface UnsecuredOptions {
  principalClaim: string;
  scopeClaim: string;
  requiredScope: string[];
  clockSkewMs: number;
}

export interface JwksOptions {
  url: string;
  audience: string[];
  issuer: string | null;
  clockSkewSeconds: number;
  principalClaim: string;
  scopeClaim: string;
}

export type OAuthValidator = (token: string, nowMs: number) => Promise<ValidatedToken>;

export interface ValidatedToken {
  principal: string;
  /** Expiry in ms since the epoch. */
  expiresAtMs: number;
}

/** A rejected token: the status and scope of Kafka's error JSON, and why (logged, not sent). */
export class TokenRejected extends Error {
  constructor(
    readonly why: string,
    readonly scope: string | null = null,
  ) {
    super(why);
  }
}

function b64json(part: string): Record<string, unknown> {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {}
  throw new TokenRejected('the token is not a JWS of JSON objects');
}

function scopeOf(claim: unknown): string[] {
  if (typeof claim === 'string') return claim.split(' ').filter(Boolean);
  if (Array.isArray(claim)) return claim.filter((s): s is string => typeof s === 'string');
  return [];
}

export function unsecuredValidator(o: UnsecuredOptions): OAuthValidator {
  return async (token, now) => {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[2] !== '') throw new TokenRejected('an unsecured JWS has three parts and an empty signature');
    const header = b64json(parts[0]!);
    if (header.alg !== 'none') throw new TokenRejected(`unsecured JWS must have alg none, has ${String(header.alg)}`);
    const claims = b64json(parts[1]!);
    const sub = claims[o.principalClaim];
    if (sub === undefined) throw new TokenRejected(`Required claim missing: ${o.principalClaim}`);
    if (typeof sub !== 'string') throw new TokenRejected(`The ${o.principalClaim} claim had the incorrect type`);
    const iat = claims.iat;
    const exp = claims.exp;
    if (iat !== undefined && typeof iat !== 'number') throw new TokenRejected('The iat claim had the incorrect type');
    if (typeof iat === 'number' && 1000 * iat > now + o.clockSkewMs)
      throw new TokenRejected('The Issued At value was after the indicated time');
    if (exp === undefined) throw new TokenRejected('Required claim missing: exp');
    if (typeof exp !== 'number') throw new TokenRejected('The exp claim had the incorrect type');
    if (now - o.clockSkewMs >= 1000 * exp) throw new TokenRejected('The indicated time was on or after the Expiration Time value');
    if (typeof iat === 'number' && exp <= iat) throw new TokenRejected('The Expiration Time time was not after the Issued At time');
    const scope = scopeOf(claims[o.scopeClaim]);
    const missing = o.requiredScope.find((s) => !scope.includes(s));
    if (missing !== undefined) {
      throw new TokenRejected(`The provided scope was missing a required scope (${missing})`, `[${o.requiredScope.join(', ')}]`);
    }
    return { principal: sub, expiresAtMs: Math.floor(exp * 1000) };
  };
}

export function jwksValidator(o: JwksOptions): OAuthValidator {
  // A file JWKS is read (and a bad one refused) at start-up, as before; jose itself is imported
  // on the first token, so a broker without OAUTHBEARER never loads it (the lean start, issue 15).
  const localJwks = o.url.startsWith('file:') ? JSON.parse(readFileSync(fileURLToPath(o.url), 'utf8')) : undefined;
  // jose's createLocalJWKSet check (JWKSInvalid), made here so a malformed file still fails the start.
  if (localJwks !== undefined && !Array.isArray(localJwks?.keys)) throw new TypeError('JSON Web Key Set malformed');
  const remoteUrl = localJwks === undefined ? new URL(o.url) : undefined;
  let jose: Promise<{ keys: JWTVerifyGetKey; jwtVerify: typeof import('jose').jwtVerify }> | undefined;
  const load = () =>
    import('jose').then((j) => ({
      keys: localJwks !== undefined ? j.createLocalJWKSet(localJwks) : j.createRemoteJWKSet(remoteUrl!),
      jwtVerify: j.jwtVerify,
    }));
  return async (token, now) => {
    try {
      jose ??= load();
      const { keys, jwtVerify } = await jose;
      const { payload } = await jwtVerify(token, keys, {
        audience: o.audience.length > 0 ? o.audience : undefined,
        issuer: o.issuer ?? undefined,
        clockTolerance: o.clockSkewSeconds,
        currentDate: new Date(now),
      });
      const sub = payload[o.principalClaim];
      if (typeof sub !== 'string' || sub === '') throw new TokenRejected(`Required claim missing: ${o.principalClaim}`);
      if (typeof payload.exp !== 'number') throw new TokenRejected('Required claim missing: exp');
      return { principal: sub, expiresAtMs: payload.exp * 1000 };
    } catch (err) {
      if (err instanceof TokenRejected) throw err;
      throw new TokenRejected(err instanceof Error ? err.message : String(err));
    }
  };
}

const SEP = '\u0001';
/** The client's initial response: authorization id and key/value pairs, or null when malformed. */
function parseInitial(text: string): { authzid: string; kvs: Map<string, string> } | null {
  const at = text.indexOf(SEP);
  const gs2 = /^n,(?:a=([^,]*))?,$/.exec(at < 0 ? '' : text.slice(0, at));
  if (!gs2) return null;
  const parts = text.slice(at + 1).split(SEP);
  if (parts.length < 2 || parts.at(-1) !== '' || parts.at(-2) !== '') return null;
  const kvs = new Map(parts.slice(0, -2).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]));
  return { authzid: gs2[1] ?? '', kvs };
}

export class OAuthBearerServer implements SaslServer {
  readonly mechanism = 'OAUTHBEARER';
  complete = false;
  authorizationId: string | null = null;
  credentialExpiresAtMs: number | null = null;
  private errorJson: string | null = null;
  /** Why the last token was rejected (for the broker's log line). */
  rejection: string | null = null;

  constructor(
    private readonly validate: OAuthValidator,
    private readonly now: () => number,
  ) {}

  async evaluate(token: Buffer): Promise<Buffer> {
    if (token.length === 1 && token[0] === 1 && this.errorJson !== null) throw new SaslAuthenticationFailure(this.errorJson);
    this.errorJson = null;
    const m = parseInitial(token.toString('utf8'));
    if (!m) throw new SaslFailure('Invalid OAUTHBEARER client first message');
    const { authzid, kvs } = m;
    const auth = /^Bearer +(\S+)$/i.exec(kvs.get('auth') ?? '');
    if (!auth) throw new SaslFailure('Invalid OAUTHBEARER client first message: no auth=Bearer');
    let t: ValidatedToken;
    try {
      t = await this.validate(auth[1]!, this.now());
    } catch (err) {
      if (!(err instanceof TokenRejected)) throw err;
      this.rejection = err.why;
      this.errorJson = err.scope ? `{"status":"insufficient_scope", "scope":"${err.scope}"}` : '{"status":"invalid_token"}';
      return Buffer.from(this.errorJson, 'utf8');
    }
    if (authzid !== '' && authzid !== t.principal) {
      throw new SaslAuthenticationFailure(
        `Authentication failed: Client requested an authorization id (${authzid}) that is different from the token's principal name (${t.principal})`,
      );
    }
    this.authorizationId = t.principal;
    this.credentialExpiresAtMs = t.expiresAtMs;
    this.complete = true;
    return Buffer.alloc(0);
  }
}
