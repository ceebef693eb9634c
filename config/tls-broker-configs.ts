// Broker configuration keys of TLS (broker/security/tls.ts): Kafka 4.4's ssl.* names and
// defaults (SslConfigs, BrokerSecurityConfigs), each also read per listener as
// `listener.name.<listener>.ssl.*`; and kafkalite's `http.ssl.*` / `http.auth.*` for the HTTP
// server (broker/http/security.ts). Part of BROKER_CONFIGS (config/broker-configs.ts).

import type { ConfigDef } from './definitions.js';

const TLS_KEYS: readonly Omit<ConfigDef, 'readOnly'>[] = [
  { name: 'ssl.keystore.type', type: 'string', default: 'JKS', doc: 'Key store format: PEM or PKCS12 (JKS is not read: convert it)' },
  { name: 'ssl.keystore.location', type: 'string', default: null, doc: 'Key store file (PEM: key and certificate chain; PKCS12)' },
  {
    name: 'ssl.keystore.password',
    type: 'password',
    default: null,
    doc: 'Password of a PKCS12 key store (or of the PEM key when ssl.key.password is unset)',
  },
  { name: 'ssl.keystore.key', type: 'password', default: null, doc: 'Private key in PEM, inline (ssl.keystore.type=PEM)' },
  {
    name: 'ssl.keystore.certificate.chain',
    type: 'password',
    default: null,
    doc: 'Certificate chain in PEM, inline (ssl.keystore.type=PEM)',
  },
  { name: 'ssl.key.password', type: 'password', default: null, doc: 'Password of the private key (encrypted PEM key)' },
  {
    name: 'ssl.truststore.type',
    type: 'string',
    default: 'JKS',
    doc: 'Trust store format: PEM (PKCS12 and JKS are not read: convert them to PEM)',
  },
  {
    name: 'ssl.truststore.location',
    type: 'string',
    default: null,
    doc: 'Trust store file: CA certificates clients are checked against (mTLS)',
  },
  { name: 'ssl.truststore.password', type: 'password', default: null, doc: 'Password of a PKCS12 trust store' },
  {
    name: 'ssl.truststore.certificates',
    type: 'password',
    default: null,
    doc: 'Trusted certificates in PEM, inline (ssl.truststore.type=PEM)',
  },
  {
    name: 'ssl.client.auth',
    type: 'string',
    default: 'none',
    oneOf: ['required', 'requested', 'none'],
    doc: 'Client certificates: required, requested or none',
  },
  { name: 'ssl.enabled.protocols', type: 'list', default: 'TLSv1.2,TLSv1.3', doc: 'TLS versions served (TLSv1.2, TLSv1.3)' },
  { name: 'ssl.protocol', type: 'string', default: 'TLSv1.3', doc: 'Highest TLS version (TLSv1.2 or TLSv1.3; TLS means the newest)' },
  {
    name: 'ssl.cipher.suites',
    type: 'list',
    default: null,
    doc: "Cipher suites, IANA or OpenSSL names (TLS 1.2 ones go to node's ciphers)",
  },
  {
    name: 'ssl.principal.mapping.rules',
    type: 'string',
    default: 'DEFAULT',
    doc: 'Rules mapping a client certificate DN to a principal name (SslPrincipalMapper)',
  },
];

/** Client-side or JVM-only TLS keys: accepted, unused by a broker on node:tls. */
const TLS_IGNORED: readonly ConfigDef[] = [
  'ssl.endpoint.identification.algorithm',
  'ssl.keymanager.algorithm',
  'ssl.trustmanager.algorithm',
  'ssl.provider',
  'ssl.secure.random.implementation',
  'ssl.engine.factory.class',
  'ssl.allow.dn.changes',
  'ssl.allow.san.changes',
].map((name) => ({ name, type: 'string' as const, default: null, doc: 'Accepted for compatibility; unused (node:tls)', readOnly: true }));

export const TLS_BROKER_CONFIGS: readonly ConfigDef[] = [
  ...TLS_KEYS.map((d) => ({ ...d, readOnly: true })),
  ...TLS_IGNORED,
  // The HTTP server's TLS: the same keys under http. (broker/http/security.ts).
  ...TLS_KEYS.filter((d) => d.name !== 'ssl.principal.mapping.rules').map((d) => ({
    ...d,
    name: `http.${d.name}`,
    default: d.name === 'ssl.keystore.type' || d.name === 'ssl.truststore.type' ? 'PEM' : d.default,
    doc: `kafkalite: HTTP server TLS, as ${d.name}`,
    readOnly: true,
  })),
  {
    name: 'http.ssl.enabled',
    type: 'boolean',
    default: 'false',
    doc: 'kafkalite: serve HTTP over TLS (https) with the http.ssl.* keys',
    readOnly: true,
  },
  {
    name: 'http.auth.type',
    type: 'string',
    default: 'none',
    oneOf: ['none', 'basic', 'bearer'],
    doc: 'kafkalite: HTTP authentication: none, basic (http.auth.users) or bearer (http.auth.tokens)',
    readOnly: true,
  },
  {
    name: 'http.auth.users',
    type: 'password',
    default: null,
    doc: 'kafkalite: basic authentication users, user:password comma-separated',
    readOnly: true,
  },
  { name: 'http.auth.tokens', type: 'password', default: null, doc: 'kafkalite: accepted bearer tokens, comma-separated', readOnly: true },
];
