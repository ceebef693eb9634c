// DelegationTokenManager: the one owner of delegation tokens (KIP-48; owner and requester from
// KIP-373), as Kafka 4.4's controller keeps them (org.apache.kafka.controller.DelegationTokenControlManager)
// and its brokers cache them (kafka.server.DelegationTokenManager, DelegationTokenCache).
//
//   - Enabled by `delegation.token.secret.key`; unset, Create/Renew/Expire/Describe answer
//     DELEGATION_TOKEN_AUTH_DISABLED.
//   - A token's HMAC is HmacSHA512(key = the secret's UTF-8 bytes, data = the token id's UTF-8
//     bytes); its password for SCRAM is that HMAC in standard base64, with a SCRAM credential for
//     both SCRAM mechanisms at 4096 iterations (DelegationTokenManager.prepareScramCredentials), so a
//     client logs in with `tokenauth=true`, the token id as user name and the HMAC as password; the
//     session's principal is User:<owner name>, marked token-authenticated.
//   - Create: max timestamp now + min(delegation.token.max.lifetime.ms, the request's max lifetime
//     when > 0), expiry now + delegation.token.expiry.time.ms capped by it. Renew and Expire
//     (owner or a renewer only, else DELEGATION_TOKEN_OWNER_MISMATCH) move the expiry, capped by
//     the max timestamp; a negative expiry period removes the token at once. A token past its
//     expiry answers DELEGATION_TOKEN_EXPIRED until the sweep (every
//     delegation.token.expiry.check.interval.ms on the injected clock) removes it; then it is
//     DELEGATION_TOKEN_NOT_FOUND, and its SCRAM login fails ("Invalid tokenId").
//
// Tokens persist in `kafkalite-delegation-tokens.json` in the data directory (Kafka keeps
// DelegationTokenRecords in its metadata log); the HMACs and credentials are recomputed from the
// secret at start-up, as Kafka's brokers do on replay. With the memory store they live as long as
// the broker.

import { createHmac, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { BrokerConfig } from '../../config/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { Clock, TimerHandle } from '../../storage/clock.js';
import type { LogStore } from '../../storage/types.js';
import { SCRAM_MECHANISMS, type ScramCredential, scram } from './scram-credentials.js';
import { BrokerStateFile } from '../state-file.js';

export const DELEGATION_TOKENS_FILE = 'kafkalite-delegation-tokens.json';

/** A principal as Kafka's KafkaPrincipal: type and name. */
export interface Principal {
  readonly type: string;
  readonly name: string;
}

/** Kafka's TokenInformation. */
export interface TokenInfo {
  readonly tokenId: string;
  readonly owner: Principal;
  readonly requester: Principal;
  readonly renewers: readonly Principal[];
  readonly issueTimestamp: number;
  readonly maxTimestamp: number;
  expiryTimestamp: number;
}

export interface DelegationToken extends TokenInfo {
  readonly hmac: Buffer;
}

interface Entry {
  info: TokenInfo;
  hmac: Buffer;
  /** base64 of the HMAC: the SCRAM password and the lookup key of Renew/Expire. */
  password: string;
  credentials: Map<string, ScramCredential>;
}

const samePrincipal = (a: Principal, b: Principal): boolean => a.type === b.type && a.name === b.name;

/** `Type:name` (KafkaPrincipal.toString) to a principal; a string without ':' is a User. */
export function parsePrincipal(text: string | undefined): Principal {
  if (!text) return { type: 'User', name: 'ANONYMOUS' };
  const i = text.indexOf(':');
  return i < 0 ? { type: 'User', name: text } : { type: text.slice(0, i), name: text.slice(i + 1) };
}

export const principalText = (p: Principal): string => `${p.type}:${p.name}`;

/** TokenInformation.ownerOrRenewer (the requester counts too, KIP-373). */
export const ownerOrRenewer = (t: TokenInfo, p: Principal): boolean =>
  samePrincipal(t.owner, p) || samePrincipal(t.requester, p) || t.renewers.some((r) => samePrincipal(r, p));

/**
 * KafkaApis.allowTokenRequests: not on a connection that logged in with a token, nor on PLAINTEXT,
 * nor on SSL without a client certificate (an anonymous principal).
 */
export function tokenRequestsAllowed(c: { securityProtocol?: string; principal?: string; tokenAuthenticated?: boolean }): boolean {
  if (c.tokenAuthenticated) return false;
  const protocol = c.securityProtocol ?? 'PLAINTEXT';
  if (protocol === 'PLAINTEXT') return false;
  return !(protocol === 'SSL' && (c.principal === undefined || c.principal === 'User:ANONYMOUS'));
}

export type CreateResult = { errorCode: number; token?: DelegationToken };
export type ExpiryResult = { errorCode: number; expiryTimestampMs: number };

export class DelegationTokenManager {
  private readonly tokens = new Map<string, Entry>();
  private readonly byPassword = new Map<string, Entry>();
  private sweeper: TimerHandle | null = null;

  /** Where this state persists (broker/state-file.ts). */
  private readonly file: BrokerStateFile<{ tokens: TokenInfo[] }>;

  constructor(
    private readonly config: BrokerConfig,
    store: LogStore,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.file = new BrokerStateFile(store, DELEGATION_TOKENS_FILE);
  }

  private get secret(): string | null {
    return this.config.get('delegation.token.secret.key') ?? null;
  }

  /** `delegation.token.secret.key` is set (Kafka's config.tokenAuthEnabled). */
  get enabled(): boolean {
    return this.secret !== null;
  }

  /** The token's HMAC (DelegationTokenControlManager.createHmac). */
  private hmacOf(tokenId: string): Buffer {
    return createHmac('sha512', Buffer.from(this.secret!, 'utf8')).update(tokenId, 'utf8').digest();
  }

  /** CreateDelegationToken, after the handler's checks (DelegationTokenControlManager.createDelegationToken). */
  create(owner: Principal, requester: Principal, renewers: readonly Principal[], maxLifetimeMs: number): CreateResult {
    if (!this.enabled) return { errorCode: ErrorCode.DELEGATION_TOKEN_AUTH_DISABLED };
    const now = this.clock.now();
    let maxLifetime = this.config.int('delegation.token.max.lifetime.ms');
    if (maxLifetimeMs > 0) maxLifetime = Math.min(maxLifetime, maxLifetimeMs);
    const maxTimestamp = now + maxLifetime;
    const expiryTimestamp = Math.min(maxTimestamp, now + this.config.int('delegation.token.expiry.time.ms'));
    if (renewers.some((r) => r.type !== 'User')) return { errorCode: ErrorCode.INVALID_PRINCIPAL_TYPE };
    const info: TokenInfo = {
      tokenId: randomUUIDLikeKafka(),
      owner,
      requester,
      renewers: [...renewers],
      issueTimestamp: now,
      maxTimestamp,
      expiryTimestamp,
    };
    const entry = this.add(info);
    this.save();
    this.log.info({ tokenId: info.tokenId, owner: principalText(owner), requester: principalText(requester) }, 'delegation token created');
    return { errorCode: 0, token: { ...entry.info, hmac: entry.hmac } };
  }

  /** RenewDelegationToken (DelegationTokenControlManager.renewDelegationToken). */
  renew(hmac: Uint8Array, principal: Principal, renewPeriodMs: number): ExpiryResult {
    const found = this.lookup(hmac);
    if ('errorCode' in found) return found;
    const t = found.info;
    const now = this.clock.now();
    if (t.maxTimestamp < now || t.expiryTimestamp < now) return { errorCode: ErrorCode.DELEGATION_TOKEN_EXPIRED, expiryTimestampMs: 0 };
    if (!allowedToRenew(t, principal)) return { errorCode: ErrorCode.DELEGATION_TOKEN_OWNER_MISMATCH, expiryTimestampMs: 0 };
    let renewLifetime = this.config.int('delegation.token.expiry.time.ms');
    if (renewPeriodMs > 0) renewLifetime = Math.min(renewLifetime, renewPeriodMs);
    t.expiryTimestamp = Math.min(t.maxTimestamp, now + renewLifetime);
    this.save();
    return { errorCode: 0, expiryTimestampMs: t.expiryTimestamp };
  }

  /** ExpireDelegationToken (DelegationTokenControlManager.expireDelegationToken). */
  expire(hmac: Uint8Array, principal: Principal, expiryPeriodMs: number): ExpiryResult {
    const found = this.lookup(hmac);
    if ('errorCode' in found) return found;
    const t = found.info;
    const now = this.clock.now();
    if (!allowedToRenew(t, principal)) return { errorCode: ErrorCode.DELEGATION_TOKEN_OWNER_MISMATCH, expiryTimestampMs: 0 };
    if (expiryPeriodMs < 0) {
      this.remove(t.tokenId);
      this.save();
      this.log.info({ tokenId: t.tokenId }, 'delegation token expired on request');
      return { errorCode: 0, expiryTimestampMs: now };
    }
    if (t.maxTimestamp < now || t.expiryTimestamp < now) return { errorCode: ErrorCode.DELEGATION_TOKEN_EXPIRED, expiryTimestampMs: 0 };
    t.expiryTimestamp = Math.min(t.maxTimestamp, now + expiryPeriodMs);
    this.save();
    return { errorCode: 0, expiryTimestampMs: t.expiryTimestamp };
  }

  /** The tokens `eligible` keeps (DelegationTokenManager.getTokens), in creation order. */
  tokensWhere(eligible: (t: TokenInfo) => boolean): DelegationToken[] {
    return [...this.tokens.values()].filter((e) => eligible(e.info)).map((e) => ({ ...e.info, hmac: e.hmac }));
  }

  /** The SCRAM source of a `tokenauth=true` login (ScramServerCallbackHandler's DelegationTokenCredentialCallback). */
  scram(mechanism: string, tokenId: string): { credential: ScramCredential; owner: string; expiresAtMs: number } | undefined {
    const e = this.tokens.get(tokenId);
    const credential = e?.credentials.get(mechanism);
    return e && credential ? { credential, owner: e.info.owner.name, expiresAtMs: e.info.expiryTimestamp } : undefined;
  }

  /** Remove expired tokens (DelegationTokenControlManager.sweepExpiredDelegationTokens). */
  sweep(): void {
    const now = this.clock.now();
    let removed = 0;
    for (const e of [...this.tokens.values()]) {
      if (e.info.maxTimestamp < now || e.info.expiryTimestamp < now) {
        this.log.info({ tokenId: e.info.tokenId, owner: principalText(e.info.owner) }, 'Delegation token expired');
        this.remove(e.info.tokenId);
        removed++;
      }
    }
    if (removed > 0) this.save();
  }

  private lookup(hmac: Uint8Array): Entry | ExpiryResult {
    if (!this.enabled) return { errorCode: ErrorCode.DELEGATION_TOKEN_AUTH_DISABLED, expiryTimestampMs: 0 };
    const e = this.byPassword.get(Buffer.from(hmac).toString('base64'));
    return e ?? { errorCode: ErrorCode.DELEGATION_TOKEN_NOT_FOUND, expiryTimestampMs: 0 };
  }

  private add(info: TokenInfo): Entry {
    const hmac = this.hmacOf(info.tokenId);
    const password = hmac.toString('base64');
    const credentials = new Map(SCRAM_MECHANISMS.map((m) => [m.name, scram.fromPassword(m, password, m.minIterations)] as const));
    const entry: Entry = { info, hmac, password, credentials };
    this.tokens.set(info.tokenId, entry);
    this.byPassword.set(password, entry);
    return entry;
  }

  private remove(tokenId: string): void {
    const e = this.tokens.get(tokenId);
    if (!e) return;
    this.tokens.delete(tokenId);
    this.byPassword.delete(e.password);
  }

  // ---------------------------------------------------------------------------------------
  // Start-up, shutdown, persistence

  /** Start-up: read persisted tokens (kept only with a secret) and arm the expiry sweep. */
  load(): void {
    this.tokens.clear();
    this.byPassword.clear();
    this.sweeper?.cancel();
    this.sweeper = null;
    if (!this.enabled) return;
    for (const t of this.file.read()?.tokens ?? []) this.add({ ...t });
    this.sweeper = this.clock.setInterval(() => this.sweep(), this.config.int('delegation.token.expiry.check.interval.ms'));
  }

  shutdown(): void {
    this.sweeper?.cancel();
    this.sweeper = null;
  }

  private save(): void {
    this.file.write({ tokens: [...this.tokens.values()].map((e) => e.info) });
  }
}

/** DelegationTokenControlManager.allowedToRenew: the owner or a renewer (not the requester). */
const allowedToRenew = (t: TokenInfo, p: Principal): boolean => samePrincipal(t.owner, p) || t.renewers.some((r) => samePrincipal(r, p));

/** Uuid.randomUuid().toString(): a v4 UUID in URL-safe base64 without padding, never starting with '-'. */
function randomUUIDLikeKafka(): string {
  for (;;) {
    const id = Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
