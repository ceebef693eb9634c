// Client settings for a broker of the test kit: broker.clientConfig(kind) gives each client's own
// key names to reach the first listener, with the TLS files of startBroker({ security }) when a
// preset is on (broker/security/testkit-tls.ts makes them). Kept apart from that module so it
// loads without @peculiar/x509.

import type { BrokerSecurity } from './testkit-tls.js';

export type ClientKind = 'kafkajs' | 'librdkafka' | 'kafka-python' | 'java' | 'franz-go';

/** broker.clientConfig('kafkajs'): KafkaConfig's brokers and ssl. */
export interface KafkajsClientConfig {
  brokers: string[];
  ssl?: { ca: string[]; cert?: string; key?: string; servername?: string };
}
/**
 * broker.clientConfig('franz-go'): seeds, the files for kgo.DialTLSConfig and, with a SASL preset,
 * the fields of franz-go's plain.Auth / scram.Auth (User, Pass) and which mechanism to build.
 */
export interface FranzGoClientConfig {
  seeds: string[];
  tls?: { caFile: string; certFile?: string; keyFile?: string };
  sasl?: { mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; user: string; pass: string };
}
/** librdkafka / Java properties, kafka-python keyword arguments. */
export type ClientProperties = Record<string, string>;

export type ClientConfigOf<K extends ClientKind> = K extends 'kafkajs'
  ? KafkajsClientConfig
  : K extends 'franz-go'
    ? FranzGoClientConfig
    : ClientProperties;

/**
 * Client settings for `bootstrap` under `security` (null: a PLAINTEXT listener). Each client's
 * own key names: kafkajs's KafkaConfig, librdkafka's and Java's properties, kafka-python's
 * keyword arguments, and files for franz-go's kgo.DialTLSConfig.
 */
export function clientConfig<K extends ClientKind>(kind: K, bootstrap: string, security: BrokerSecurity | null): ClientConfigOf<K> {
  const client = security?.client ?? null;
  switch (kind) {
    case 'kafkajs':
      return {
        brokers: [bootstrap],
        ...(security ? { ssl: { ca: [security.caPem], ...(client ? { cert: client.certPem, key: client.keyPem } : {}) } } : {}),
      } as unknown as ClientConfigOf<K>;
    case 'franz-go':
      return {
        seeds: [bootstrap],
        ...(security
          ? { tls: { caFile: security.caFile, ...(client ? { certFile: client.certFile, keyFile: client.keyFile } : {}) } }
          : {}),
      } as unknown as ClientConfigOf<K>;
    case 'librdkafka':
      return {
        'bootstrap.servers': bootstrap,
        ...(security
          ? {
              'security.protocol': 'ssl',
              'ssl.ca.location': security.caFile,
              ...(client ? { 'ssl.certificate.location': client.certFile, 'ssl.key.location': client.keyFile } : {}),
            }
          : {}),
      } as unknown as ClientConfigOf<K>;
    case 'kafka-python':
      return {
        bootstrap_servers: bootstrap,
        ...(security
          ? {
              security_protocol: 'SSL',
              ssl_cafile: security.caFile,
              ...(client ? { ssl_certfile: client.certFile, ssl_keyfile: client.keyFile } : {}),
            }
          : {}),
      } as unknown as ClientConfigOf<K>;
    case 'java':
      return {
        'bootstrap.servers': bootstrap,
        ...(security
          ? {
              'security.protocol': 'SSL',
              'ssl.truststore.type': 'PEM',
              'ssl.truststore.location': security.caFile,
              // Inline: a PEM key store file needs an encrypted key and ssl.key.password in Kafka's client.
              ...(client
                ? { 'ssl.keystore.type': 'PEM', 'ssl.keystore.key': client.keyPem, 'ssl.keystore.certificate.chain': client.certPem }
                : {}),
            }
          : {}),
      } as unknown as ClientConfigOf<K>;
    default:
      throw new RangeError(`clientConfig: unknown client '${String(kind)}' (kafkajs, librdkafka, kafka-python, java, franz-go)`);
  }
}
