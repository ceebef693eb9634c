// SaslHandshake and SaslAuthenticate where no SASL is expected (the corpus connects on PLAINTEXT
// listeners: KafkaApis answers ILLEGAL_SASL_STATE), and the SCRAM credential APIs:
// AlterUserScramCredentials upserts, deletions and every per-user error, DescribeUserScramCredentials
// of existing, missing and repeated users. The exchange itself on a SASL_PLAINTEXT listener
// (mechanism lists, bad passwords, closes) is in test/oracle/v44-sasl.test.ts.

import { pbkdf2Sync } from 'node:crypto';
import {
  AlterUserScramCredentials,
  DescribeUserScramCredentials,
  SaslAuthenticate,
  SaslHandshake,
} from '../../../protocol/messages/index.js';
import type { Rule } from '../normalise.js';
import type { Ctx, Res, Scenario, Step } from '../oracle.js';

const SHA256 = 1;
const SHA512 = 2;
const salt = Buffer.alloc(16, 7);
const salted = (m: number, iterations: number) =>
  pbkdf2Sync('secret', salt, iterations, m === SHA512 ? 64 : 32, m === SHA512 ? 'sha512' : 'sha256');

type Name = string | ((c: Ctx) => string);
const nameOf = (n: Name, c: Ctx) => (typeof n === 'function' ? n(c) : n);
const u = (suffix: string) => (c: Ctx) => c.name(suffix);

const alter = (upsertions: Array<[Name, number, number]>, deletions: Array<[Name, number]> = [], compare?: boolean): Step => ({
  api: AlterUserScramCredentials,
  compare,
  body: (c) => ({
    deletions: deletions.map(([name, mechanism]) => ({ name: nameOf(name, c), mechanism })),
    upsertions: upsertions.map(([name, mechanism, iterations]) => ({
      name: nameOf(name, c),
      mechanism,
      iterations,
      salt,
      saltedPassword: salted(mechanism, Math.min(iterations, 16384)),
    })),
  }),
});

const describe = (users: Name[]): Step => ({
  api: DescribeUserScramCredentials,
  body: (c) => ({ users: users.map((n) => ({ name: nameOf(n, c) })) }),
});

/** Setup: describe until the user has `count` credentials (Kafka's broker image follows the controller). */
const settled = (user: Name, count: number): Step => ({
  ...describe([user]),
  compare: false,
  until: (r: Res) => (r.results?.[0]?.credentialInfos?.length ?? 0) === count,
});

const SORTED: Rule[] = [
  { path: 'results', action: 'sort', key: 'user', reason: 'Kafka collects the per-user results in a HashMap' },
  { path: 'results[*].credentialInfos', action: 'sort', key: 'mechanism', reason: 'Kafka reads the mechanisms from a HashMap' },
];

export const SASL_SCENARIOS: Scenario[] = [
  {
    id: 'sasl/handshake-on-plaintext',
    api: SaslHandshake,
    about: 'a SaslHandshake on a PLAINTEXT listener: ILLEGAL_SASL_STATE, no mechanisms',
    steps: [{ api: SaslHandshake, body: { mechanism: 'PLAIN' } }],
  },
  {
    id: 'sasl/authenticate-on-plaintext',
    api: SaslAuthenticate,
    about: "a SaslAuthenticate on a PLAINTEXT listener: ILLEGAL_SASL_STATE with KafkaApis' message",
    steps: [{ api: SaslAuthenticate, body: { authBytes: Buffer.from('\u0000alice\u0000alice-secret') } }],
  },
  {
    id: 'sasl/scram-upsert-describe-delete',
    api: AlterUserScramCredentials,
    about: 'upsert both mechanisms, describe them, delete one then the other',
    normalise: SORTED,
    steps: [
      alter([[u('alice'), SHA256, 8192]]),
      alter([[u('alice'), SHA512, 4096]]),
      settled(u('alice'), 2),
      describe([u('alice')]),
      alter([], [[u('alice'), SHA256]]),
      settled(u('alice'), 1),
      describe([u('alice')]),
      alter([], [[u('alice'), SHA512]]),
    ],
  },
  {
    id: 'sasl/scram-alter-errors',
    api: AlterUserScramCredentials,
    about: 'too few and too many iterations, an unknown mechanism, an empty name, a user twice, a missing deletion',
    normalise: SORTED,
    steps: [
      alter(
        [
          [u('few'), SHA256, 1000],
          [u('many'), SHA512, 20000],
          [u('mech'), 3, 4096],
          ['', SHA256, 4096],
          [u('twice'), SHA256, 4096],
          [u('twice'), SHA512, 4096],
        ],
        [[u('missing'), SHA256]],
      ),
      alter([[u('both'), SHA256, 4096]], [[u('both'), SHA256]]),
    ],
  },
  {
    id: 'sasl/scram-describe-errors',
    api: DescribeUserScramCredentials,
    about: 'a user without credentials (RESOURCE_NOT_FOUND) and a user asked twice (DUPLICATE_RESOURCE)',
    normalise: SORTED,
    steps: [
      alter([[u('dup'), SHA256, 4096]], [], false),
      settled(u('dup'), 1),
      describe([u('nobody'), u('dup'), u('dup')]),
      describe([u('dup')]),
      alter([], [[u('dup'), SHA256]], false),
    ],
  },
];
