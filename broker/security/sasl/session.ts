// One connection's SASL state, as Kafka's SaslServerAuthenticator and KafkaChannel keep it:
//
//   handshake-or-versions --ApiVersions--> handshake --SaslHandshake v1--> authenticate --tokens--> complete
//                          \--SaslHandshake v0--> raw (bare size-prefixed tokens, no Kafka header) --/
//
// Until `complete` only ApiVersions (once, first) and the SASL requests are served; anything else
// during the handshake closes the connection without an answer (IllegalSaslStateException), as does
// a frame over sasl.server.max.receive.size. A failed exchange answers once (SASL_AUTHENTICATION_FAILED
// with the mechanism's message, or UNSUPPORTED_SASL_MECHANISM with the enabled list) and closes.
//
// Re-authentication (KIP-368): a session ends at min(connections.max.reauth.ms, credential expiry)
// after authentication; SaslAuthenticate v1+ tells the client, which starts over with SaslHandshake
// on the same connection (same mechanism, same principal). A request other than SaslHandshake after
// the end closes the connection (Kafka's Processor: "expired session").

import type { ConnectionInfo } from '../../handler.js';
import type { SaslManager } from './manager.js';
import { SaslAuthenticationFailure, SaslFailure, type SaslServer } from './mechanism.js';
import type { ListenerSasl } from './settings.js';

export type SaslState = 'handshake-or-versions' | 'handshake' | 'authenticate' | 'raw' | 'complete' | 'failed';

export interface TokenResult {
  errorCode: number;
  errorMessage: string | null;
  authBytes: Buffer;
  sessionLifetimeMs: number;
  /** Close after answering (a failed exchange). */
  close: string | null;
}

const ILLEGAL_SASL_STATE = 34;
const UNSUPPORTED_SASL_MECHANISM = 33;
const SASL_AUTHENTICATION_FAILED = 58;

export class SaslSession {
  state: SaslState = 'handshake-or-versions';
  private server: SaslServer | null = null;
  /** Mechanism and principal of the current session (re-authentication must keep both). */
  private mechanism: string | null = null;
  principal: string | null = null;
  /** Set while re-authenticating an established session. */
  private reauthenticating = false;
  /** When the session ends (broker clock ms), or null. */
  expiresAtMs: number | null = null;

  constructor(
    private readonly manager: SaslManager,
    readonly settings: ListenerSasl,
    private readonly connection: ConnectionInfo,
  ) {}

  get authenticated(): boolean {
    return this.state === 'complete' || (this.reauthenticating && this.state !== 'failed');
  }

  private get what(): string {
    return this.reauthenticating ? 're-authentication' : 'authentication';
  }

  /** SaslHandshake: pick the mechanism; an unknown one answers the enabled list, then closes. */
  handshake(mechanism: string, version: number): { errorCode: number; mechanisms: string[]; close: string | null } {
    const mechanisms = [...this.settings.mechanisms];
    if (this.state === 'complete') {
      this.reauthenticating = true;
    } else if (this.state !== 'handshake-or-versions' && this.state !== 'handshake') {
      // SaslHandshakeRequest.getErrorResponse: the error and no mechanisms.
      return {
        errorCode: ILLEGAL_SASL_STATE,
        mechanisms: [],
        close: 'Unexpected Kafka request of type SASL_HANDSHAKE during SASL authentication.',
      };
    }
    if (!mechanisms.includes(mechanism)) {
      this.fail(mechanism, `Unsupported SASL mechanism ${mechanism}`);
      return { errorCode: UNSUPPORTED_SASL_MECHANISM, mechanisms, close: `Unsupported SASL mechanism ${mechanism}` };
    }
    if (this.reauthenticating && mechanism !== this.mechanism) {
      const why = `SASL mechanism '${mechanism}' requested by client is not supported for re-authentication of mechanism '${this.mechanism}'`;
      this.fail(mechanism, why);
      return { errorCode: UNSUPPORTED_SASL_MECHANISM, mechanisms, close: why };
    }
    this.server = this.manager.createServer(this.settings, mechanism);
    this.mechanism = mechanism;
    this.state = version >= 1 ? 'authenticate' : 'raw';
    return { errorCode: 0, mechanisms, close: null };
  }

  /** ApiVersions seen: allowed once, before the handshake. */
  apiVersions(): string | null {
    if (this.state !== 'handshake-or-versions')
      return `Unexpected ApiVersions request received during SASL authentication state ${this.state}`;
    this.state = 'handshake';
    return null;
  }

  /** One token (SaslAuthenticate's bytes, or a raw v0 frame). */
  async token(bytes: Buffer): Promise<TokenResult> {
    if (this.state !== 'authenticate' && this.state !== 'raw') {
      const msg =
        this.state === 'complete'
          ? 'SaslAuthenticate request received after successful authentication'
          : `Unexpected SaslAuthenticate in SASL state ${this.state}`;
      return { errorCode: ILLEGAL_SASL_STATE, errorMessage: msg, authBytes: Buffer.alloc(0), sessionLifetimeMs: 0, close: null };
    }
    const server = this.server!;
    let challenge: Buffer;
    try {
      challenge = await server.evaluate(bytes);
      if (server.complete && this.reauthenticating && `User:${server.authorizationId}` !== this.principal) {
        throw new SaslAuthenticationFailure(
          `Cannot change principals during re-authentication from ${this.principal}: User:${server.authorizationId}`,
        );
      }
    } catch (err) {
      if (!(err instanceof SaslFailure)) throw err;
      const message =
        err instanceof SaslAuthenticationFailure
          ? err.message
          : `Authentication failed during ${this.what} due to invalid credentials with SASL mechanism ${server.mechanism}`;
      this.fail(server.mechanism, err.message);
      return {
        errorCode: SASL_AUTHENTICATION_FAILED,
        errorMessage: message,
        authBytes: Buffer.alloc(0),
        sessionLifetimeMs: 0,
        close: message,
      };
    }
    let lifetime = 0;
    if (server.complete) {
      lifetime = this.completeSession(server);
    }
    // Kafka answers a token with an empty (not null) error message.
    return { errorCode: 0, errorMessage: '', authBytes: challenge, sessionLifetimeMs: lifetime, close: null };
  }

  /** Kafka's ReauthInfo.calcCompletionTimesAndReturnSessionLifetimeMs. */
  private completeSession(server: SaslServer): number {
    const now = this.manager.now();
    const limits: number[] = [];
    if (this.settings.maxReauthMs > 0) limits.push(this.settings.maxReauthMs);
    if (server.credentialExpiresAtMs !== null) limits.push(server.credentialExpiresAtMs - now);
    const lifetime = limits.length > 0 ? Math.max(0, Math.min(...limits)) : 0;
    this.expiresAtMs = limits.length > 0 ? now + lifetime : null;
    this.principal = `User:${server.authorizationId}`;
    this.state = 'complete';
    const reauthenticated = this.reauthenticating;
    this.reauthenticating = false;
    this.server = null;
    this.manager.succeeded(
      this.connection,
      this.settings,
      server.mechanism,
      this.principal,
      reauthenticated,
      server.tokenAuthenticated === true,
    );
    return lifetime;
  }

  /** The session has passed its end (a request now closes the connection). */
  expired(now: number): boolean {
    return this.state === 'complete' && this.expiresAtMs !== null && now > this.expiresAtMs;
  }

  private fail(mechanism: string, why: string): void {
    this.state = 'failed';
    this.server = null;
    this.manager.failed(this.connection, this.settings, mechanism, why);
  }
}
