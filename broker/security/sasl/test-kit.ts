// The test kit's SASL preset: startBroker({ security: 'sasl_plaintext' }) opens its in-process
// listener as SASL_PLAINTEXT with PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 and OAUTHBEARER (unsecured
// JWTs) enabled, and generates two users at start, `admin` and `client`, each with a random
// password valid for PLAIN (the listener's JAAS config) and for both SCRAM mechanisms (credentials
// added to the store, not persisted). broker.clientConfig(client) hands out ready settings:
//
//   new Kafka(broker.clientConfig('kafkajs'))                       // kafkajs: { brokers, sasl }
//   Producer(broker.clientConfig('librdkafka'))                     // confluent-kafka, kcat -X, node-rdkafka
//   KafkaProducer(**broker.clientConfig('kafka-python'))            // kafka-python keyword arguments
//   props.putAll(broker.clientConfig('java'))                       // Java client Properties
//   broker.clientConfig('franz-go')                                 // { seeds, sasl: { mechanism, user, pass }, tls? }
//
// Options pick the mechanism ('SCRAM-SHA-256' by default) and the user ('client' by default).
// Settings the caller gave in `config` win over the preset's.

import { randomBytes } from 'node:crypto';
import type { ScramCredentialStore } from '../scram-credentials.js';
import { SCRAM_MECHANISMS } from '../scram-credentials.js';
import type { SecurityProtocol } from '../listeners.js';

export type SaslSecurityPreset = 'sasl_plaintext' | 'sasl_ssl';
export const SASL_PRESETS: readonly SaslSecurityPreset[] = ['sasl_plaintext', 'sasl_ssl'];

export type ClientKind = 'kafkajs' | 'librdkafka' | 'kafka-python' | 'java' | 'franz-go';
const CLIENT_KINDS: readonly ClientKind[] = ['kafkajs', 'librdkafka', 'kafka-python', 'java', 'franz-go'];

export function isSaslPreset(security: unknown): security is SaslSecurityPreset {
  return (SASL_PRESETS as readonly unknown[]).includes(security);
}

export type SaslMechanismName = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

export interface SaslUser {
  readonly username: string;
  readonly password: string;
}

export interface ClientConfigOptions {
  /** Default SCRAM-SHA-256. */
  mechanism?: SaslMechanismName;
  /** 'admin' or 'client' (default), or any user with the given password. */
  user?: string | SaslUser;
}

/** What startBroker keeps of the preset. */
export interface SaslPreset {
  readonly protocol: SecurityProtocol;
  readonly users: { readonly admin: SaslUser; readonly client: SaslUser };
  /** Config keys the preset sets (the caller's own keys win). */
  readonly config: Record<string, string>;
}

const password = () => randomBytes(12).toString('base64url');

/** A preset with freshly generated passwords. */
export function saslPreset(preset: SaslSecurityPreset): SaslPreset {
  const users = { admin: { username: 'admin', password: password() }, client: { username: 'client', password: password() } };
  const listener = preset.toUpperCase();
  const jaas =
    `org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${users.admin.password}" ` +
    `user_admin="${users.admin.password}" user_client="${users.client.password}";`;
  return {
    protocol: preset === 'sasl_ssl' ? 'SASL_SSL' : 'SASL_PLAINTEXT',
    users,
    config: {
      'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER',
      [`listener.name.${listener.toLowerCase()}.plain.sasl.jaas.config`]: jaas,
    },
  };
}

/** The preset's users get SCRAM credentials for both mechanisms (in memory only). */
export function seedScramUsers(store: ScramCredentialStore, preset: SaslPreset): void {
  for (const u of Object.values(preset.users)) for (const m of SCRAM_MECHANISMS) store.seed(m, u.username, u.password);
}

/**
 * Ready client settings for a broker started with a SASL preset (null: a PLAINTEXT broker, bootstrap only).
 * `tls`: the TLS settings of broker/security/client-config.ts for SASL_SSL (the CA), which the SASL ones complete.
 */
export function saslClientConfig(
  preset: SaslPreset | null,
  bootstrap: string,
  client: ClientKind,
  o: ClientConfigOptions = {},
  tls: Record<string, unknown> = {},
): Record<string, unknown> {
  const sasl = saslSettings(preset, bootstrap, client, o);
  return preset?.protocol === 'SASL_SSL' ? { ...tls, ...sasl } : sasl;
}

function saslSettings(preset: SaslPreset | null, bootstrap: string, client: ClientKind, o: ClientConfigOptions): Record<string, unknown> {
  if (!preset) {
    if (client === 'kafkajs') return { brokers: [bootstrap] };
    if (client === 'kafka-python') return { bootstrap_servers: bootstrap };
    if (client === 'librdkafka' || client === 'java') return { 'bootstrap.servers': bootstrap };
    if (client === 'franz-go') return { seeds: [bootstrap] };
    throw new RangeError(`clientConfig: unknown client '${String(client)}' (${CLIENT_KINDS.join(', ')})`);
  }
  const mechanism = o.mechanism ?? 'SCRAM-SHA-256';
  const user: SaslUser = typeof o.user === 'object' ? o.user : preset.users[(o.user ?? 'client') as 'admin' | 'client'];
  if (!user) throw new RangeError(`no preset user ${String(o.user)}: 'admin', 'client', or { username, password }`);
  const protocol = preset.protocol;
  switch (client) {
    case 'kafkajs':
      return {
        brokers: [bootstrap],
        sasl: { mechanism: mechanism.toLowerCase(), username: user.username, password: user.password },
      };
    case 'librdkafka':
      return {
        'bootstrap.servers': bootstrap,
        'security.protocol': protocol,
        'sasl.mechanism': mechanism,
        'sasl.username': user.username,
        'sasl.password': user.password,
      };
    case 'kafka-python':
      return {
        bootstrap_servers: bootstrap,
        security_protocol: protocol,
        sasl_mechanism: mechanism,
        sasl_plain_username: user.username,
        sasl_plain_password: user.password,
      };
    case 'java': {
      const module =
        mechanism === 'PLAIN'
          ? 'org.apache.kafka.common.security.plain.PlainLoginModule'
          : 'org.apache.kafka.common.security.scram.ScramLoginModule';
      return {
        'bootstrap.servers': bootstrap,
        'security.protocol': protocol,
        'sasl.mechanism': mechanism,
        'sasl.jaas.config': `${module} required username="${user.username}" password="${user.password}";`,
      };
    }
    case 'franz-go':
      // kgo.SASL(plain.Auth{...}.AsMechanism()) or scram.Auth{...}.AsSha256Mechanism() / AsSha512Mechanism().
      return { seeds: [bootstrap], sasl: { mechanism, user: user.username, pass: user.password } };
    default:
      throw new RangeError(`clientConfig: unknown client '${String(client)}' (${CLIENT_KINDS.join(', ')})`);
  }
}
