// The test kit's TLS presets: startBroker({ security: 'ssl' | 'mtls' }) makes a throwaway CA and
// a broker certificate (SANs localhost and 127.0.0.1) at start, writes them to a temp dir (removed
// at stop), serves an SSL listener with them, and hands back ready-to-use client settings:
//
//   const broker = await startBroker({ security: 'mtls' });
//   new Kafka(broker.clientConfig('kafkajs'));                // { brokers, ssl: { ca, cert, key } }
//   kcat -F <(props of broker.clientConfig('librdkafka'))     // bootstrap.servers, ssl.ca.location, ...
//   broker.security.caFile, broker.security.client.certFile  // the files themselves
//
// Certificates come from @peculiar/x509 on node's WebCrypto with EC P-256 keys (fast to make);
// this module (and x509) is imported only when a preset is asked for, so startBroker() without
// one pays nothing. The SASL presets ('sasl_plaintext', 'sasl_ssl') extend SecurityPreset and
// clientConfig() with users and mechanisms (broker/security/sasl/).

import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import type { ConfigValue } from '../../config/index.js';
import type { SecurityProtocol } from './listeners.js';

export type { ClientConfigOf, ClientKind } from './client-config.js';

export type SecurityPreset = 'ssl' | 'mtls';
export const SECURITY_PRESETS: readonly SecurityPreset[] = ['ssl', 'mtls'];

/** startBroker({ security }): a preset name, or the preset with its details. */
export interface SecurityOption {
  preset: SecurityPreset;
  /** Subject of the client certificate (mtls), RFC 2253 as Java prints it. Default 'CN=client,OU=test,O=kafkalite'. */
  clientSubject?: string;
  /** Where to write the files (kept at stop). Default: a new temp dir, removed at stop. */
  dir?: string;
}

/** A PEM certificate with its key and the files holding them. */
export interface IssuedCertificate {
  readonly subject: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** Key then certificate chain in one file: a PEM key store (ssl.keystore.type=PEM). */
  readonly keystoreFile: string;
}

/** broker.security: the files and settings of the preset in force. */
export interface BrokerSecurity {
  readonly preset: SecurityPreset;
  readonly protocol: SecurityProtocol;
  readonly dir: string;
  /** The throwaway CA: clients trust it (ssl.ca.location, ssl.truststore.location with type PEM). */
  readonly caFile: string;
  readonly caPem: string;
  /** The broker's certificate (CN=localhost, SANs localhost and 127.0.0.1). */
  readonly broker: IssuedCertificate;
  /** mtls: the client certificate, and the principal kafkalite derives from it. */
  readonly client: (IssuedCertificate & { readonly principal: string }) | null;
  /** Issue another certificate from the CA (e.g. a second client, or a renewed broker certificate). */
  issue(subject: string, opts?: { name?: string; server?: boolean }): Promise<IssuedCertificate>;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

type KeyPair = webcrypto.CryptoKeyPair;
// x509's parameters name the DOM's Crypto; node's webcrypto is that object.
type X509Crypto = Parameters<typeof x509.X509CertificateGenerator.create>[1] & {};

let providerSet = false;
function crypto(): X509Crypto {
  if (!providerSet) {
    x509.cryptoProvider.set(webcrypto as unknown as X509Crypto);
    providerSet = true;
  }
  return webcrypto as unknown as X509Crypto;
}

/**
 * x509 encodes a name's RDNs in the order written; Java (and the principal) prints them last
 * first (RFC 2253). Subjects here are written as Java prints them, so reverse them for x509.
 */
function encodeOrder(subject: string): string {
  return subject
    .split(/,(?=\s*[A-Za-z0-9.]+=)/)
    .map((s) => s.trim())
    .reverse()
    .join(', ');
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/** A new CA and a way to issue certificates from it, its files in `dir`. */
export async function createCa(
  dir: string,
  name = 'CN=kafkalite test CA',
  fileName = 'ca.pem',
): Promise<{ certPem: string; file: string; issue: BrokerSecurity['issue'] }> {
  const c = crypto();
  const now = Date.now();
  const caKeys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as KeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: encodeOrder(name),
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 30 * DAY),
    keys: caKeys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, c),
    ],
  });
  const certPem = ca.toString('pem');
  const file = join(dir, fileName);
  writeFileSync(file, `${certPem}\n`);
  const issue: BrokerSecurity['issue'] = async (subject, opts = {}) => {
    const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as KeyPair;
    const server = opts.server ?? false;
    const cert = await x509.X509CertificateGenerator.create(
      {
        serialNumber: randomSerial(),
        subject: encodeOrder(subject),
        issuer: ca.subject,
        notBefore: new Date(now - DAY),
        notAfter: new Date(now + 30 * DAY),
        publicKey: keys.publicKey,
        signingKey: caKeys.privateKey,
        signingAlgorithm: ALG,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
          new x509.ExtendedKeyUsageExtension(
            server ? [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth] : [x509.ExtendedKeyUsage.clientAuth],
          ),
          ...(server
            ? [
                new x509.SubjectAlternativeNameExtension([
                  { type: 'dns', value: 'localhost' },
                  { type: 'ip', value: '127.0.0.1' },
                ]),
              ]
            : []),
          await x509.AuthorityKeyIdentifierExtension.create(ca, false, c),
        ],
      },
      c,
    );
    const certPem = cert.toString('pem');
    const keyPem = pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
    const base = opts.name ?? (server ? 'broker' : 'client');
    const certFile = join(dir, `${base}.crt`);
    const keyFile = join(dir, `${base}.key`);
    const keystoreFile = join(dir, `${base}.pem`);
    writeFileSync(certFile, `${certPem}\n`);
    writeFileSync(keyFile, keyPem, { mode: 0o600 });
    writeFileSync(keystoreFile, `${keyPem}${certPem}\n`, { mode: 0o600 });
    return { subject, certPem, keyPem, certFile, keyFile, keystoreFile };
  };
  return { certPem, file, issue };
}

function randomSerial(): string {
  // Positive, 16 bytes.
  const b = webcrypto.getRandomValues(new Uint8Array(16));
  b[0] = (b[0]! & 0x7f) | 0x01;
  return Buffer.from(b).toString('hex');
}

/** What a preset adds to the broker: its config keys, the default listener's protocol, and the handle. */
export interface PreparedSecurity {
  readonly security: BrokerSecurity;
  /** Config keys under the user's own `config` (which wins). */
  readonly config: Record<string, ConfigValue>;
  readonly protocol: SecurityProtocol;
  /** Remove the files (unless the dir was the user's). */
  close(): void;
}

export async function prepareSecurity(option: SecurityPreset | SecurityOption): Promise<PreparedSecurity> {
  const o: SecurityOption = typeof option === 'string' ? { preset: option } : option;
  const ownDir = o.dir === undefined;
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'kafkalite-tls-'));
  const ca = await createCa(dir);
  const broker = await ca.issue('CN=localhost,OU=broker,O=kafkalite', { server: true, name: 'broker' });
  const mtls = o.preset === 'mtls';
  const clientSubject = o.clientSubject ?? 'CN=client,OU=test,O=kafkalite';
  const client = mtls ? { ...(await ca.issue(clientSubject, { name: 'client' })), principal: `User:${clientSubject}` } : null;
  const config: Record<string, ConfigValue> = {
    'ssl.keystore.type': 'PEM',
    'ssl.keystore.location': broker.keystoreFile,
    ...(mtls
      ? { 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': ca.file, 'ssl.client.auth': 'required' }
      : { 'ssl.client.auth': 'none' }),
  };
  const security: BrokerSecurity = {
    preset: o.preset,
    protocol: 'SSL',
    dir,
    caFile: ca.file,
    caPem: ca.certPem,
    broker,
    client,
    issue: ca.issue,
  };
  return {
    security,
    config,
    protocol: 'SSL',
    close: () => {
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
