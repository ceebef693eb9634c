// SASL settings of one listener, resolved as Kafka resolves them: a key under the listener's
// prefix (`listener.name.<listener>.`, lower-cased as ListenerName.configPrefix does) wins over
// the broker-wide key; a mechanism's JAAS config is `listener.name.<l>.<mechanism>.sasl.jaas.config`
// (ListenerName.saslMechanismConfigPrefix), then `sasl.jaas.config`. Checked once at start-up so a
// bad JAAS line or a mechanism kafkalite cannot serve fails the start, not the first client.

import type { BrokerConfig } from '../../../config/index.js';
import { ConfigError } from '../../../protocol/errors.js';
import { type JaasModule, parseJaasConfig, plainUsers } from './jaas.js';
import { jwksValidator, type OAuthValidator, unsecuredValidator } from './oauthbearer.js';

export const SERVED_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'] as const;

export interface ListenerSasl {
  readonly listener: string;
  readonly mechanisms: readonly string[];
  /** PLAIN users (user_<name>="<password>"). */
  readonly plainUsers: ReadonlyMap<string, string>;
  readonly oauth: OAuthValidator | null;
  /** connections.max.reauth.ms; 0: sessions never expire. */
  readonly maxReauthMs: number;
  readonly maxReceiveSize: number;
}

function lookup(config: BrokerConfig, listener: string, key: string): string | undefined {
  return config.get(`listener.name.${listener.toLowerCase()}.${key}`) ?? config.get(key);
}

function listOf(v: string | undefined | null): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function jaasOf(config: BrokerConfig, listener: string, mechanism: string): JaasModule[] | null {
  const key = `listener.name.${listener.toLowerCase()}.${mechanism.toLowerCase()}.sasl.jaas.config`;
  const text = config.get(key) ?? config.get('sasl.jaas.config');
  if (text === undefined) return null;
  try {
    return parseJaasConfig(text);
  } catch (err) {
    throw new ConfigError(config.get(key) !== undefined ? key : 'sasl.jaas.config', (err as Error).message);
  }
}

/** Java's String.hashCode (UTF-16 code units, 32-bit overflow). */
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The order Kafka lists the enabled mechanisms in SaslHandshake: SaslServerAuthenticator keeps
 * `new ArrayList<>(new HashSet<>(sasl.enabled.mechanisms))`, i.e. java.util.HashMap's bucket order
 * (hash ^ hash >>> 16, table of max(n / 0.75 + 1, 16) rounded up to a power of two), insertion order
 * within a bucket. PLAIN,SCRAM-SHA-256,SCRAM-SHA-512 comes out as PLAIN, SCRAM-SHA-512, SCRAM-SHA-256.
 */
export function kafkaMechanismOrder(mechanisms: readonly string[]): string[] {
  const unique = [...new Set(mechanisms)];
  let table = 1;
  while (table < Math.max(Math.floor(unique.length / 0.75) + 1, 16)) table *= 2;
  const bucket = (m: string) => {
    const h = javaStringHash(m);
    return (h ^ (h >>> 16)) & (table - 1);
  };
  return unique
    .map((m, i) => ({ m, i, b: bucket(m) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((x) => x.m);
}

/** Resolve and check the SASL settings of a SASL_PLAINTEXT or SASL_SSL listener. */
export function listenerSasl(config: BrokerConfig, listener: string): ListenerSasl {
  const mechanisms = listOf(lookup(config, listener, 'sasl.enabled.mechanisms') ?? config.raw('sasl.enabled.mechanisms'));
  const key = `listener.name.${listener.toLowerCase()}.sasl.enabled.mechanisms`;
  if (mechanisms.length === 0) throw new ConfigError(key, `listener ${listener} enables no SASL mechanism`);
  for (const m of mechanisms) {
    if (!(SERVED_MECHANISMS as readonly string[]).includes(m)) {
      throw new ConfigError(
        config.get(key) !== undefined ? key : 'sasl.enabled.mechanisms',
        `kafkalite serves ${SERVED_MECHANISMS.join(', ')}; ${m} is not supported${m === 'GSSAPI' ? " (Kerberos; GSSAPI is Kafka's default: set sasl.enabled.mechanisms)" : ''}`,
      );
    }
  }
  let users = new Map<string, string>();
  if (mechanisms.includes('PLAIN')) {
    const jaas = jaasOf(config, listener, 'PLAIN');
    if (!jaas)
      throw new ConfigError(
        `listener.name.${listener.toLowerCase()}.plain.sasl.jaas.config`,
        'PLAIN is enabled but no JAAS config names its users',
      );
    users = plainUsers(jaas);
  }
  let oauth: OAuthValidator | null = null;
  if (mechanisms.includes('OAUTHBEARER')) {
    const jwks = lookup(config, listener, 'sasl.oauthbearer.jwks.endpoint.url');
    const str = (k: string, d: string) => lookup(config, listener, k) ?? d;
    if (jwks) {
      oauth = jwksValidator({
        url: jwks,
        audience: listOf(lookup(config, listener, 'sasl.oauthbearer.expected.audience')),
        issuer: lookup(config, listener, 'sasl.oauthbearer.expected.issuer') ?? null,
        clockSkewSeconds: Number(str('sasl.oauthbearer.clock.skew.seconds', '30')),
        principalClaim: str('sasl.oauthbearer.sub.claim.name', 'sub'),
        scopeClaim: str('sasl.oauthbearer.scope.claim.name', 'scope'),
      });
    } else {
      const options = jaasOf(config, listener, 'OAUTHBEARER')?.[0]?.options ?? new Map<string, string>();
      oauth = unsecuredValidator({
        principalClaim: options.get('unsecuredValidatorPrincipalClaimName') ?? 'sub',
        scopeClaim: options.get('unsecuredValidatorScopeClaimName') ?? 'scope',
        requiredScope: (options.get('unsecuredValidatorRequiredScope') ?? '').split(' ').filter(Boolean),
        clockSkewMs: Number(options.get('unsecuredValidatorAllowableClockSkewMs') ?? '0'),
      });
    }
  }
  return {
    listener,
    mechanisms: kafkaMechanismOrder(mechanisms),
    plainUsers: users,
    oauth,
    maxReauthMs: Number(lookup(config, listener, 'connections.max.reauth.ms') ?? config.raw('connections.max.reauth.ms')),
    maxReceiveSize: config.int('sasl.server.max.receive.size'),
  };
}
