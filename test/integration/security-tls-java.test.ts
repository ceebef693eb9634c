// TLS against Kafka 4.4's own code, in one JVM run (test/jvm/programs/TlsCheck.java):
// - ssl.principal.mapping.rules: our SslPrincipalMapper (broker/security/principal.ts) and
//   Kafka's org.apache.kafka.common.security.ssl.SslPrincipalMapper on a table of rules and DNs;
// - the subject DN of certificates as Java's X500Principal.getName() prints it (the principal);
// - the Java client (kafka-clients 4.4.0, security.protocol=SSL, PEM trust and key stores as
//   broker.clientConfig('java') gives them) over TLS 1.3 and TLS 1.2 with a client certificate,
//   the principal kafkalite derived read from its log.

import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { SslPrincipalMapper, subjectDn } from '../../broker/security/principal.js';
import { memoryLogger } from './http-helpers.js';
import { JAVA_PROGRAMS, javaOk } from '../jvm/kafka.js';
import { ConfigError } from '../../protocol/errors.js';

const DUKE = 'CN=Duke,OU=JavaSoft,O=Sun Microsystems,L=Palo Alto,ST=CA,C=US';
const MAPPING: Array<{ rules: string; dn: string }> = [
  { rules: 'DEFAULT', dn: 'CN=client,OU=test,O=kafkalite' },
  { rules: 'RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/,DEFAULT', dn: 'CN=svc,OU=ServiceUsers,O=x' },
  { rules: 'RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/,DEFAULT', dn: 'CN=bob,OU=Other,O=x' },
  { rules: 'RULE:^CN=(.*?),OU=(.*?),O=(.*?),L=(.*?),ST=(.*?),C=(.*?)$/$1@$2/L', dn: DUKE },
  { rules: 'RULE:^CN=(.*?),OU=(.*?),O=(.*?),L=(.*?),ST=(.*?),C=(.*?)$/$1@$2/U', dn: DUKE },
  { rules: 'RULE:^.*[Cc][Nn]=([a-zA-Z0-9.]*).*$/$1/L, DEFAULT', dn: DUKE },
  { rules: 'RULE:^CN=([^,]+),O=.*$/$1/', dn: DUKE },
  { rules: ' RULE:^CN=(.*?),OU=.*$/$1/L ,\n DEFAULT ', dn: DUKE },
  { rules: 'RULE:^CN=(.*?),OU=(.*)$/$2 \\/ $1/', dn: 'CN=a,OU=b' },
  { rules: 'RULE:^CN=(.*?),OU=(.*)$/[$0]-$3/', dn: 'CN=a,OU=b' },
  { rules: 'RULE:^CN=(.*)$/x/,RULE:^O=(.*)$/org-$1/U', dn: 'O=acme' },
  { rules: 'RULE:(CN)=(.*)/$2$1/', dn: 'CN=a' },
  { rules: 'RULE:^CN=(.*)$/$1', dn: 'CN=a' },
  { rules: 'DEFAULT,RULE:x', dn: 'CN=a' },
  { rules: 'RULE:^CN=(.*)$/$1/Q', dn: 'CN=a' },
];
const SUBJECTS = [
  'CN=client,OU=test,O=kafkalite',
  'CN=Alice Smith,OU=Eng,O=Acme\\, Inc.,C=US',
  'CN=svc-1,OU=ServiceUsers,DC=example,DC=com',
  'E=jdoe@example.com,CN=J Doe',
];

/** Ours, in TlsCheck's shape. */
function ours(rules: string, dn: string): Record<string, unknown> {
  let m: SslPrincipalMapper;
  try {
    m = new SslPrincipalMapper(rules);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return { invalid: true };
  }
  const name = m.name(dn);
  return name === null ? { noMatch: true } : { name };
}

describe('TLS against Kafka 4.4 code: principal mapping, subject DNs, the Java client', () => {
  let broker: Broker;
  const logs = memoryLogger('info');
  let result: {
    mapping: Array<Record<string, string>>;
    subjects: string[];
    clients: Array<{ offset?: number; nodes?: string[]; error?: string }>;
  };
  let pems: string[];
  const listener = (name: string) => broker.listeners.find((l) => l.name === name)!;

  before(async () => {
    broker = await startBroker({
      security: 'mtls',
      logger: logs.logger,
      topics: { orders: 1 },
      config: {
        listeners: 'SSL://127.0.0.1:0,TLS12://127.0.0.1:0',
        'listener.security.protocol.map': 'SSL:SSL,TLS12:SSL',
        'inter.broker.listener.name': 'SSL',
        'listener.name.tls12.ssl.enabled.protocols': 'TLSv1.2',
        'listener.name.tls12.ssl.principal.mapping.rules': 'RULE:^CN=(.*?),OU=(.*?),O=(.*)$/$1@$3/U,DEFAULT',
      },
    });
    pems = [];
    for (const [i, s] of SUBJECTS.entries()) pems.push((await broker.security!.issue(s, { name: `subject-${i}` })).certPem);
    const java = broker.clientConfig('java');
    const input = {
      mapping: MAPPING,
      subjects: pems,
      clients: [
        { props: java, topic: 'orders' },
        { props: { ...java, 'bootstrap.servers': listener('TLS12').bootstrap }, topic: 'orders' },
        { props: { ...java, 'ssl.enabled.protocols': 'TLSv1.2', 'ssl.protocol': 'TLSv1.2' }, topic: 'orders' },
        {
          props: {
            ...java,
            'ssl.keystore.key': undefined,
            'ssl.keystore.certificate.chain': undefined,
            'ssl.keystore.type': undefined,
            'max.block.ms': '3000',
          },
          topic: 'orders',
        },
      ].map((c) => ({ ...c, props: Object.fromEntries(Object.entries(c.props).filter(([, v]) => v !== undefined)) })),
    };
    const r = await javaOk([join(JAVA_PROGRAMS, 'TlsCheck.java')], { input: JSON.stringify(input), timeoutMs: 180_000 });
    result = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  });
  after(() => broker?.stop());

  test('ssl.principal.mapping.rules: the same names, no-match and invalid rules as SslPrincipalMapper', () => {
    const theirs = result.mapping.map((r) => ('name' in r ? { name: r.name } : 'noMatch' in r ? { noMatch: true } : { invalid: true }));
    assert.deepEqual(
      MAPPING.map((m) => ours(m.rules, m.dn)),
      theirs,
      JSON.stringify(result.mapping, null, 1),
    );
    // The table exercises each outcome.
    assert.ok(theirs.some((r) => 'noMatch' in r) && theirs.some((r) => 'invalid' in r) && theirs.some((r) => 'name' in r));
  });

  test("a certificate's subject DN as Java's X500Principal.getName() prints it", () => {
    assert.deepEqual(
      pems.map((p) => subjectDn(new X509Certificate(p).raw)),
      result.subjects,
    );
    assert.equal(result.subjects[0], 'CN=client,OU=test,O=kafkalite');
  });

  test('the Java client produces over TLS 1.3 and 1.2 with its certificate; Metadata per listener; no certificate is refused', () => {
    const [tls13, tls12listener, tls12client, noCert] = result.clients;
    assert.deepEqual(tls13, { offset: 0, nodes: [listener('SSL').bootstrap] });
    assert.deepEqual(tls12listener, { offset: 1, nodes: [listener('TLS12').bootstrap] });
    assert.deepEqual(tls12client, { offset: 2, nodes: [listener('SSL').bootstrap] });
    assert.match(noCert!.error ?? '', /SSL|handshake|Timeout|timed out/i);
    const opened = logs.lines().filter((l) => l.msg === 'connection opened');
    const seen = new Set(opened.map((l) => `${l.listener} ${l.tls} ${l.principal}`));
    assert.deepEqual(
      seen,
      new Set([
        'SSL TLSv1.3 User:CN=client,OU=test,O=kafkalite',
        'TLS12 TLSv1.2 User:CLIENT@KAFKALITE',
        'SSL TLSv1.2 User:CN=client,OU=test,O=kafkalite',
      ]),
    );
    assert.ok(logs.lines().some((l) => l.msg === 'TLS handshake failed: connection closed' && /no certificate/.test(String(l.reason))));
  });
});
