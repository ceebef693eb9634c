// TLS for SSL and SASL_SSL listeners (node:tls), from Kafka's ssl.* keys:
//
//   ssl.keystore.type=PEM     ssl.keystore.location=broker.pem (key + chain) or inline
//                             ssl.keystore.key / ssl.keystore.certificate.chain (+ ssl.key.password)
//   ssl.keystore.type=PKCS12  ssl.keystore.location=broker.p12 + ssl.keystore.password (node's pfx)
//   ssl.truststore.type=PEM, ssl.truststore.location / ssl.truststore.certificates (PKCS12 trust
//   stores are refused with the openssl line converting them: node reads PKCS12 only as a key store)
//   ssl.client.auth=required|requested|none     ssl.principal.mapping.rules (principal.ts)
//   ssl.enabled.protocols=TLSv1.2,TLSv1.3       ssl.protocol   ssl.cipher.suites
//
// Each key may be set per listener as `listener.name.<listener>.ssl.*` (lower-case name, as
// Kafka), which wins over `ssl.*`. JKS stores are not read (convert them to PKCS12). Key and
// trust store files are watched: when one changes, the context is rebuilt and later
// connections use it (existing ones keep theirs), as Kafka's dynamic keystore update does.
//
// A failed handshake (wrong CA, a client certificate missing under `required`) closes the
// socket with a logged reason; a client certificate gives the connection's principal.
//
// Where this differs from Kafka (DefaultSslEngineFactory), deliberately:
// - a PEM key store file with an unencrypted key and no ssl.key.password is accepted (Kafka
//   requires an encrypted key and ssl.key.password for a file; inline keys may be plain in both);
// - a missing or untrusted client certificate is refused right after the handshake (the
//   connection is closed before any request is read), not by a TLS alert inside it, so that
//   the reason can be logged: clients see a closed connection either way.

import type { X509Certificate } from 'node:crypto';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import type { Server, Socket } from 'node:net';
import { createSecureContext, createServer as createTlsServer, type SecureContextOptions, type TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { BrokerConfig } from '../../config/index.js';
import { ConfigError } from '../../protocol/errors.js';
import { certificatePrincipal, SslPrincipalMapper } from './principal.js';

/** Makes the server socket of one TLS listener; `accept` gets each socket once its handshake is done. */
export interface TlsServerFactory {
  createServer(accept: (socket: Socket, principal?: string) => void, where: { node: number; listener: string }): Server;
}

export type ClientAuth = 'required' | 'requested' | 'none';

/** The TLS settings of one listener (or of the HTTP server), resolved from the config. */
export interface TlsSettings {
  /** Where they came from, for messages: 'ssl.' or 'listener.name.ssl.ssl.' or 'http.ssl.'. */
  readonly keyPrefix: (key: string) => string;
  readonly context: SecureContextOptions;
  readonly clientAuth: ClientAuth;
  readonly mapper: SslPrincipalMapper;
  /** Files to watch for changes. */
  readonly files: string[];
}

const TLS_VERSIONS = ['TLSv1.2', 'TLSv1.3'] as const;
type TlsVersion = (typeof TLS_VERSIONS)[number];

/**
 * The ssl.* settings in force under `prefixes` (first that sets a key wins, then plain `ssl.*`
 * unless `inherit` is false), read and checked now: a missing file or bad store fails start-up.
 */
export function tlsSettings(config: BrokerConfig, prefixes: string[], inherit = true): TlsSettings {
  const lookup = (key: string): { key: string; value: string | undefined } => {
    for (const p of prefixes) {
      const k = `${p}${key}`;
      if (config.has(k)) return { key: k, value: config.get(k) };
    }
    if (!inherit) return { key: `${prefixes[0] ?? ''}${key}`, value: undefined };
    return { key, value: config.get(key) };
  };
  const val = (key: string) => lookup(key).value;
  const keyOf = (key: string) => lookup(key).key;
  const files: string[] = [];
  const read = (key: string, path: string): Buffer => {
    try {
      files.push(path);
      return readFileSync(path);
    } catch (err) {
      throw new ConfigError(keyOf(key), `Failed to load SSL keystore ${path}: ${(err as Error).message}`);
    }
  };
  const context: SecureContextOptions = {};
  const defaultType = inherit ? 'JKS' : 'PEM';

  // Key store.
  const ksType = (val('ssl.keystore.type') ?? defaultType).toUpperCase();
  const ksLocation = val('ssl.keystore.location');
  const inlineKey = val('ssl.keystore.key');
  const inlineChain = val('ssl.keystore.certificate.chain');
  const keyPassword = val('ssl.key.password') ?? val('ssl.keystore.password');
  if (inlineKey !== undefined || inlineChain !== undefined) {
    if (ksType !== 'PEM')
      throw new ConfigError(keyOf('ssl.keystore.key'), `SSL private key can be specified only for PEM, but key store type is ${ksType}.`);
    if (inlineKey === undefined || inlineChain === undefined)
      throw new ConfigError(
        keyOf('ssl.keystore.key'),
        'both ssl.keystore.key and ssl.keystore.certificate.chain are needed for an inline PEM key store',
      );
    context.key = inlineKey;
    context.cert = inlineChain;
    if (keyPassword !== undefined) context.passphrase = keyPassword;
  } else if (ksLocation !== undefined) {
    const bytes = read('ssl.keystore.location', ksLocation);
    if (ksType === 'PEM') {
      // One file with the private key and the certificate chain, as Kafka's PEM key store.
      context.key = bytes;
      context.cert = bytes;
      if (keyPassword !== undefined) context.passphrase = keyPassword;
    } else if (ksType === 'PKCS12') {
      context.pfx = bytes;
      const p = val('ssl.keystore.password');
      if (p !== undefined) context.passphrase = p;
    } else throw unsupportedStore(keyOf('ssl.keystore.type'), ksType);
  } else {
    throw new ConfigError(
      keyOf('ssl.keystore.location'),
      'an SSL listener needs a key store: ssl.keystore.location, or ssl.keystore.key with ssl.keystore.certificate.chain (ssl.keystore.type=PEM)',
    );
  }

  // Trust store (client certificates are checked against it).
  const tsType = (val('ssl.truststore.type') ?? defaultType).toUpperCase();
  const tsLocation = val('ssl.truststore.location');
  const inlineTrust = val('ssl.truststore.certificates');
  if (inlineTrust !== undefined) {
    if (tsType !== 'PEM')
      throw new ConfigError(
        keyOf('ssl.truststore.certificates'),
        `SSL trust store certs can be specified only for PEM, but trust store type is ${tsType}.`,
      );
    context.ca = inlineTrust;
  } else if (tsLocation !== undefined) {
    const bytes = read('ssl.truststore.location', tsLocation);
    if (tsType === 'PEM') context.ca = bytes;
    else if (tsType === 'PKCS12')
      // node reads a PKCS12 file only as a key with its chain (pfx), not as trusted certificates alone.
      throw new ConfigError(
        keyOf('ssl.truststore.type'),
        `kafkalite reads PEM trust stores, not PKCS12 ones: convert it with openssl pkcs12 -in ${tsLocation} -nokeys -out truststore.pem, and set ssl.truststore.type=PEM`,
      );
    else throw unsupportedStore(keyOf('ssl.truststore.type'), tsType);
  }
  if (Buffer.isBuffer(context.pfx))
    context.pfx = [{ buf: context.pfx, ...(context.passphrase !== undefined ? { passphrase: context.passphrase } : {}) }];

  // Protocol versions: ssl.enabled.protocols bounded by ssl.protocol.
  const enabled = (val('ssl.enabled.protocols') ?? 'TLSv1.2,TLSv1.3')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const known = enabled.filter((p): p is TlsVersion => (TLS_VERSIONS as readonly string[]).includes(p));
  if (known.length === 0)
    throw new ConfigError(keyOf('ssl.enabled.protocols'), `no TLS version kafkalite serves in ${enabled.join(',')} (TLSv1.2, TLSv1.3)`);
  const protocol = val('ssl.protocol') ?? 'TLSv1.3';
  const ceiling: TlsVersion = protocol === 'TLSv1.2' ? 'TLSv1.2' : 'TLSv1.3';
  const allowed = known.filter((v) => v <= ceiling).sort();
  if (allowed.length === 0)
    throw new ConfigError(keyOf('ssl.protocol'), `${protocol} is below every enabled protocol (${enabled.join(',')})`);
  context.minVersion = allowed[0];
  context.maxVersion = allowed[allowed.length - 1];

  // Cipher suites: TLS 1.3 suites (TLS_AES_...) go to ciphersuites, the others to ciphers (OpenSSL names; IANA names mapped).
  const suites = (val('ssl.cipher.suites') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (suites.length > 0) {
    const v13 = suites.filter((s) => /^TLS_(AES|CHACHA20)_/.test(s));
    const v12 = suites.filter((s) => !v13.includes(s)).map(ianaToOpenssl);
    if (v12.length > 0) context.ciphers = v12.join(':');
    // node has no separate TLS 1.3 list option: they are part of `ciphers` as well.
    if (v13.length > 0) context.ciphers = [...v13, ...v12].join(':');
  }

  const clientAuth = (val('ssl.client.auth') ?? 'none') as ClientAuth;
  if (!['required', 'requested', 'none'].includes(clientAuth))
    throw new ConfigError(keyOf('ssl.client.auth'), 'String must be one of: required, requested, none');
  if (clientAuth !== 'none' && !context.ca && !Array.isArray(context.pfx))
    throw new ConfigError(
      keyOf('ssl.truststore.location'),
      `ssl.client.auth=${clientAuth} needs a trust store to check client certificates against`,
    );

  // Check now (bad PEM, wrong password) rather than at the first connection.
  try {
    createSecureContext(context);
  } catch (err) {
    throw new ConfigError(
      keyOf(ksLocation !== undefined ? 'ssl.keystore.location' : 'ssl.keystore.key'),
      `Invalid SSL key store: ${(err as Error).message}`,
    );
  }
  return {
    keyPrefix: keyOf,
    context,
    clientAuth,
    mapper: new SslPrincipalMapper(val('ssl.principal.mapping.rules') ?? null),
    files,
  };
}

function unsupportedStore(key: string, type: string): ConfigError {
  return new ConfigError(
    key,
    `kafkalite reads PEM and PKCS12 stores, not ${type}: convert it with keytool -importkeystore -deststoretype PKCS12, or set PEM`,
  );
}

/** IANA cipher suite names (Java's) to OpenSSL's, for the common ECDHE/RSA GCM and CHACHA suites. */
function ianaToOpenssl(name: string): string {
  const m = /^TLS_(ECDHE|DHE)_(RSA|ECDSA)_WITH_(AES_128_GCM|AES_256_GCM|CHACHA20_POLY1305)_(SHA256|SHA384)$/.exec(name);
  if (!m) return name;
  const kx = m[1] === 'ECDHE' ? 'ECDHE' : 'DHE';
  const cipher = m[3] === 'AES_128_GCM' ? 'AES128-GCM' : m[3] === 'AES_256_GCM' ? 'AES256-GCM' : 'CHACHA20-POLY1305';
  return `${kx}-${m[2]}-${cipher}${m[3]!.startsWith('CHACHA') ? '' : `-${m[4]}`}`;
}

/** The per-listener prefixes Kafka reads: listener.name.<name lower-case>. */
export function listenerPrefix(listenerName: string): string {
  return `listener.name.${listenerName.toLowerCase()}.`;
}

/**
 * The TLS side of one listener: makes its servers (one per node) and rebuilds their context when
 * the key or trust store files change.
 */
export class TlsListener implements TlsServerFactory {
  private readonly servers = new Set<import('node:tls').Server>();
  private watchers: FSWatcher[] = [];
  private reloadTimer: NodeJS.Timeout | null = null;
  /** How many times the context was rebuilt from changed files. */
  reloads = 0;

  constructor(
    private settings: TlsSettings,
    private readonly load: () => TlsSettings,
    private readonly log: Logger,
    readonly listenerName: string,
  ) {}

  createServer(accept: (socket: Socket, principal?: string) => void, where: { node: number; listener: string }): Server {
    const s = this.settings;
    // Client certificates are checked here, not by node (rejectUnauthorized), which would drop an
    // untrusted one without saying why: each refusal is logged with its reason.
    const server = createTlsServer({ ...s.context, requestCert: s.clientAuth !== 'none', rejectUnauthorized: false });
    server.on('secureConnection', (socket: TLSSocket) => {
      const client = `${socket.remoteAddress}:${socket.remotePort}`;
      let principal: string | undefined;
      const cert: X509Certificate | undefined = this.settings.clientAuth !== 'none' ? socket.getPeerX509Certificate() : undefined;
      if (!cert && this.settings.clientAuth === 'required') {
        this.log.warn(
          { ...where, client, reason: 'ssl.client.auth=required: the client sent no certificate' },
          'TLS handshake failed: connection closed',
        );
        socket.destroy();
        return;
      }
      if (cert) {
        if (!socket.authorized) {
          // requested: a certificate was sent but is not trusted; Kafka's trust manager refuses it too.
          this.log.warn(
            { ...where, client, reason: `client certificate not trusted: ${String(socket.authorizationError)}` },
            'TLS handshake failed: connection closed',
          );
          socket.destroy();
          return;
        }
        const p = certificatePrincipal(cert, this.settings.mapper);
        if ('error' in p) {
          this.log.warn({ ...where, client, reason: p.error }, 'closing TLS connection: no principal for the client certificate');
          socket.destroy();
          return;
        }
        principal = p.principal;
      }
      accept(socket, principal);
    });
    server.on('tlsClientError', (err, socket) => {
      this.log.warn(
        {
          ...where,
          client: `${socket.remoteAddress}:${socket.remotePort}`,
          reason: err.message,
          code: (err as NodeJS.ErrnoException).code,
        },
        'TLS handshake failed: connection closed',
      );
    });
    this.servers.add(server);
    server.on('close', () => this.servers.delete(server));
    return server;
  }

  /** Watch the store files; a change rebuilds the context (debounced, errors logged and the old context kept). */
  watch(): void {
    for (const f of new Set(this.settings.files)) {
      try {
        const w = watch(f, { persistent: false }, () => this.scheduleReload());
        w.on('error', () => {});
        this.watchers.push(w);
      } catch {
        // a file that cannot be watched is simply not reloaded
      }
    }
  }

  private scheduleReload(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    // Wall time: file events are real-world, and writers often emit several.
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = null;
      this.reload();
    }, 100);
    this.reloadTimer.unref();
  }

  /** Rebuild the context from the files now; new connections use it. */
  reload(): boolean {
    let next: TlsSettings;
    try {
      next = this.load();
    } catch (err) {
      this.log.warn(
        { listener: this.listenerName, reason: (err as Error).message },
        'TLS key store changed but could not be loaded: keeping the previous one',
      );
      return false;
    }
    this.settings = next;
    for (const server of this.servers) server.setSecureContext({ ...next.context });
    this.reloads++;
    // Editors replace files (rename): watch the paths again.
    this.close();
    this.watch();
    this.log.info({ listener: this.listenerName, files: next.files }, 'TLS key store reloaded: new connections use the new certificates');
    return true;
  }

  close(): void {
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }

  stop(): void {
    this.close();
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
  }
}

/** The TLS of a listener from the broker config, its files watched. */
export function tlsListener(config: BrokerConfig, listenerName: string, log: Logger): TlsListener {
  const load = () => tlsSettings(config, [listenerPrefix(listenerName)]);
  const t = new TlsListener(load(), load, log, listenerName);
  t.watch();
  return t;
}
