// TLS and authentication of the HTTP server (broker/http/server.ts), from kafkalite's keys:
//
//   http.ssl.enabled=true        https, with the listener TLS keys under http.: http.ssl.keystore.location,
//                                http.ssl.keystore.type (PEM default, or PKCS12), http.ssl.key.password,
//                                http.ssl.truststore.* with http.ssl.client.auth for client certificates, ...
//   http.auth.type=basic         Authorization: Basic, users from http.auth.users=alice:secret,bob:pw
//   http.auth.type=bearer        Authorization: Bearer, tokens from http.auth.tokens=t1,t2
//
// Off by default. Every route is behind the authentication, /health and /ready included, except
// nothing: probes send the header too. Serving beyond loopback without authentication is
// logged as a loud warning (the REST API can produce, delete topics and alter configs). The
// control API (broker/control/server.ts) serves with the same keys and the same checks.

import { timingSafeEqual } from 'node:crypto';
import type { SecureContextOptions } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import type { BrokerConfig } from '../../config/index.js';
import { ConfigError } from '../../protocol/errors.js';

export interface HttpSecurity {
  /** node:https server options, or null for plain HTTP. */
  readonly https: (SecureContextOptions & { requestCert?: boolean; rejectUnauthorized?: boolean }) | null;
  readonly authType: 'none' | 'basic' | 'bearer';
  /** Whether an Authorization header value is accepted (always true with no authentication). */
  accepts(header: string | undefined): boolean;
}

export async function httpSecurity(config: BrokerConfig): Promise<HttpSecurity> {
  let https: HttpSecurity['https'] = null;
  if (config.bool('http.ssl.enabled')) {
    const { tlsSettings } = await import('../security/tls.js');
    const s = tlsSettings(config, ['http.'], false);
    https = { ...s.context, requestCert: s.clientAuth !== 'none', rejectUnauthorized: s.clientAuth === 'required' };
  }
  const authType = config.str('http.auth.type') as HttpSecurity['authType'];
  const list = (key: string) =>
    (config.has(key) ? config.str(key) : '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  let accepted: string[] = [];
  if (authType === 'basic') {
    const users = list('http.auth.users');
    if (users.length === 0 || users.some((u) => !u.includes(':')))
      throw new ConfigError('http.auth.users', 'http.auth.type=basic needs users as user:password, comma-separated');
    accepted = users.map((u) => `Basic ${Buffer.from(u).toString('base64')}`);
  } else if (authType === 'bearer') {
    const tokens = list('http.auth.tokens');
    if (tokens.length === 0) throw new ConfigError('http.auth.tokens', 'http.auth.type=bearer needs at least one token');
    accepted = tokens.map((t) => `Bearer ${t}`);
  }
  const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
  return {
    https,
    authType,
    accepts: (header) => authType === 'none' || (header !== undefined && accepted.some((a) => same(a, header))),
  };
}

/**
 * Every request of `app` behind the authentication (401 with WWW-Authenticate otherwise); nothing
 * without one. The HTTP server and the control API (broker/control/server.ts) both call it.
 */
export function requireAuthentication(app: FastifyInstance, security: HttpSecurity): void {
  if (security.authType === 'none') return;
  app.addHook('onRequest', async (req, reply) => {
    if (!security.accepts(req.headers.authorization))
      await reply
        .status(401)
        .header('www-authenticate', security.authType === 'basic' ? 'Basic realm="kafkalite"' : 'Bearer')
        .send({ error: 'UNAUTHORIZED', message: `HTTP ${security.authType} authentication required (http.auth.type)` });
  });
}

/** Loopback addresses: serving only there without authentication is fine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
