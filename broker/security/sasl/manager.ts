// SaslManager: the owner of authentication on SASL listeners (core.sasl). It holds the SCRAM
// credential store, each SASL listener's settings (checked at start-up), one SaslSession per
// connection on such a listener, and the figures /metrics shows. The dispatcher asks gate()
// about every frame before decoding it (one line in broker/dispatcher.ts); the SaslHandshake and
// SaslAuthenticate handlers (broker/handlers/17-, 36-) drive the session.

import type { Logger } from 'pino';
import type { BrokerConfig } from '../../../config/index.js';
import type { Clock } from '../../../storage/clock.js';
import type { LogStore } from '../../../storage/types.js';
import type { ConnectionInfo } from '../../handler.js';
import { isSasl, type SecurityProtocol } from '../listeners.js';
import { ScramCredentialStore, scramMechanism } from '../scram-credentials.js';
import { DelegationTokenManager } from '../tokens.js';
import type { SaslServer } from './mechanism.js';
import type { SaslSession } from './session.js';
import type { ListenerSasl } from './settings.js';

const API_VERSIONS = 18;
const SASL_HANDSHAKE = 17;
const SASL_AUTHENTICATE = 36;

/** What the dispatcher does with a frame: serve it, or answer with these bytes / close. */
export type GateAnswer = { response: Buffer[] | null; close?: string };
export type GateResult = null | GateAnswer | Promise<GateAnswer>;

/** ./exchange.ts once imported (by the first load() with a SASL listener; later brokers skip the await). */
let exchangeModule: typeof import('./exchange.js') | undefined;

export interface AuthFigure {
  listener: string;
  mechanism: string;
  /** Kafka's successful-authentication-total, successful-reauthentication-total, failed-authentication-total. */
  result: 'success' | 'reauthentication' | 'failure';
  count: number;
}

export class SaslManager {
  readonly credentials: ScramCredentialStore;
  /** Delegation tokens (broker/security/tokens.ts): APIs 38-41 and `tokenauth=true` SCRAM logins. */
  readonly tokens: DelegationTokenManager;
  private readonly sessions = new WeakMap<ConnectionInfo, SaslSession | null>();
  private readonly listeners = new Map<string, ListenerSasl>();
  private readonly figures = new Map<string, AuthFigure>();

  constructor(
    private readonly config: BrokerConfig,
    store: LogStore,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Whether the broker serves this ApiVersions version (an unsupported one keeps the SASL state, as in Kafka). */
    private readonly servesApiVersions: (version: number) => boolean = () => true,
  ) {
    this.credentials = new ScramCredentialStore(store, log);
    this.tokens = new DelegationTokenManager(config, store, clock, log);
  }

  now(): number {
    return this.clock.now();
  }

  /**
   * Start-up: read persisted credentials, resolve and check each SASL listener's settings
   * (broker/security/listeners.ts). The exchange (./exchange.ts) loads here, only if one is SASL.
   */
  async load(listeners: ReadonlyArray<{ name: string; protocol: SecurityProtocol }>): Promise<void> {
    this.credentials.load();
    this.tokens.load();
    this.listeners.clear();
    const sasl = listeners.filter((l) => isSasl(l.protocol));
    if (sasl.length === 0) return;
    exchangeModule ??= await import('./exchange.js');
    for (const l of sasl) this.listeners.set(l.name, exchangeModule.listenerSasl(this.config, l.name));
  }

  /** The exchange module: loaded whenever a SASL listener exists, the only case that reaches it. */
  private get exchange(): typeof import('./exchange.js') {
    if (!exchangeModule) throw new Error('the SASL exchange is used before a SASL listener was loaded');
    return exchangeModule;
  }

  /** The settings of a SASL listener (undefined: not a SASL listener). */
  listener(name: string): ListenerSasl | undefined {
    return this.listeners.get(name);
  }

  /** The SASL session of a connection, or null when its listener has no SASL. */
  session(connection: ConnectionInfo): SaslSession | null {
    let s = this.sessions.get(connection);
    if (s === undefined) {
      // authenticationRequired: a socket on a SASL_* listener (broker.handle() without a socket is not asked to authenticate).
      const { listenerName, securityProtocol, authenticationRequired } = connection;
      const settings =
        authenticationRequired && listenerName && securityProtocol && isSasl(securityProtocol)
          ? this.listeners.get(listenerName)
          : undefined;
      s = settings ? new this.exchange.SaslSession(this, settings, connection) : null;
      this.sessions.set(connection, s);
    }
    return s;
  }

  /**
   * Asked by the dispatcher about every frame: null lets it be served; otherwise the answer
   * (raw v0 tokens) or the close the SASL state calls for.
   */
  gate(frame: Buffer, connection: ConnectionInfo): GateResult {
    if (this.listeners.size === 0) return null;
    const s = this.session(connection);
    if (!s) return null;
    if (s.state === 'raw') {
      return s.token(frame).then((r): GateAnswer => {
        if (r.close) return { response: null, close: r.close };
        // A bare token answers with a bare size-prefixed token (Kafka's ByteBufferSend.sizePrefixed).
        const size = Buffer.alloc(4);
        size.writeInt32BE(r.authBytes.length);
        return { response: [size, r.authBytes] };
      });
    }
    if (frame.length < 8) return null;
    const apiKey = frame.readInt16BE(0);
    if (s.authenticated) {
      if (s.expired(this.clock.now()) && apiKey !== SASL_HANDSHAKE) {
        return { response: null, close: `SASL session of ${s.principal} expired (connections.max.reauth.ms or credential lifetime)` };
      }
      return null;
    }
    if (frame.length > s.settings.maxReceiveSize) {
      return {
        response: null,
        close: `Failing SASL authentication due to invalid receive size (${frame.length} bytes > sasl.server.max.receive.size)`,
      };
    }
    if (s.state === 'failed') return { response: null, close: 'SASL authentication failed' };
    if (apiKey === API_VERSIONS) {
      // An unsupported version is answered (UNSUPPORTED_VERSION) and leaves the state as it was.
      if (!this.servesApiVersions(frame.readInt16BE(2))) return null;
      const problem = s.apiVersions();
      return problem ? { response: null, close: problem } : null;
    }
    // A SaslHandshake during the token exchange is answered (ILLEGAL_SASL_STATE, no mechanisms), then closed, as Kafka does.
    if (apiKey === SASL_HANDSHAKE && (s.state === 'handshake-or-versions' || s.state === 'handshake' || s.state === 'authenticate'))
      return null;
    if (apiKey === SASL_AUTHENTICATE && s.state === 'authenticate') return null;
    // During the token exchange Kafka answers it (ILLEGAL_SASL_STATE, refusal.ts) before closing; during the handshake it only closes.
    const during = s.state === 'authenticate' ? 'authentication' : 'handshake';
    const response = s.state === 'authenticate' ? this.exchange.illegalSaslStateResponse(frame) : null;
    return { response, close: `Unexpected Kafka request of type ${apiKey} during SASL ${during}` };
  }

  createServer(settings: ListenerSasl, mechanism: string): SaslServer {
    if (mechanism === 'PLAIN') return new this.exchange.PlainServer(settings.plainUsers);
    if (mechanism === 'OAUTHBEARER') return new this.exchange.OAuthBearerServer(settings.oauth!, () => this.clock.now());
    const scram = scramMechanism(mechanism);
    if (!scram) throw new Error(`no SASL server for ${mechanism}`);
    return new this.exchange.ScramServer(scram, { user: (m, u) => this.credentials.get(m, u), token: (m, id) => this.tokens.scram(m, id) });
  }

  succeeded(
    connection: ConnectionInfo,
    settings: ListenerSasl,
    mechanism: string,
    principal: string,
    reauthenticated = false,
    tokenAuthenticated = false,
  ): void {
    connection.principal = principal;
    connection.tokenAuthenticated = tokenAuthenticated;
    this.count(settings.listener, mechanism, reauthenticated ? 'reauthentication' : 'success');
    this.log.debug(
      { conn: connection.id, listener: settings.listener, mechanism, principal },
      reauthenticated ? 'SASL re-authentication succeeded' : 'SASL authentication succeeded',
    );
  }

  failed(connection: ConnectionInfo, settings: ListenerSasl, mechanism: string, why: string): void {
    this.count(settings.listener, mechanism, 'failure');
    this.log.warn(
      { conn: connection.id, client: `${connection.remoteAddress}:${connection.remotePort}`, listener: settings.listener, mechanism },
      `Failed authentication with /${connection.remoteAddress} (${why})`,
    );
  }

  private count(listener: string, mechanism: string, result: AuthFigure['result']): void {
    const key = `${listener}\u0000${mechanism}\u0000${result}`;
    const f = this.figures.get(key) ?? { listener, mechanism, result, count: 0 };
    f.count++;
    this.figures.set(key, f);
  }

  /** Authentications by listener, mechanism and result, for /metrics. */
  authFigures(): AuthFigure[] {
    return [...this.figures.values()];
  }
}
