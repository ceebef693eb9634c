// DescribeAcls, CreateAcls, DeleteAcls, and the authorization checks of the handlers, with
// Kafka's StandardAuthorizer on both sides (ACLS_CONFIG): no super users and
// allow.everyone.if.no.acl.found=true, so User:ANONYMOUS (the PLAINTEXT principal) may manage
// ACLs (there are no cluster ACLs) and a scenario denies itself things on its own topics and
// groups (names from ctx.name, so instances never see each other's ACLs). Kafka applies new ACLs
// to its broker asynchronously: setup steps describe until they are there. Kafka lists ACLs in
// HashMap order; `sortAcls` sorts both sides. The handlers' checks are in acls-handlers.ts, the steps
// in acl-steps.ts.

import { CreateAcls, DeleteAcls, DescribeAcls } from '../../../protocol/messages/index.js';
import type { Scenario } from '../oracle.js';
import {
  TOPIC,
  GROUP,
  CLUSTER,
  ANY,
  MATCH,
  LITERAL,
  PREFIXED,
  READ,
  WRITE,
  DESCRIBE,
  ALL,
  DENY,
  ALLOW,
  n,
  fixed,
  create,
  describe,
  settled,
  remove,
  sortAcls,
  anon,
  KEEP_HOSTS,
} from './acl-steps.js';
import { ACL_HANDLER_SCENARIOS } from './acls-handlers.js';

export const ACLS_CONFIG: Record<string, string> = {
  'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
  'allow.everyone.if.no.acl.found': 'true',
};

/** CreateAcls, DescribeAcls and DeleteAcls themselves. */
const ACL_API_SCENARIOS: Scenario[] = [
  {
    id: 'acls/create-describe-delete',
    api: CreateAcls,
    about: 'literal and prefixed ACLs created, described with exact, ANY and MATCH filters, deleted',
    adjust: sortAcls,
    normalise: KEEP_HOSTS,
    steps: [
      create([
        [TOPIC, n('t'), LITERAL, 'User:alice', '*', READ, ALLOW],
        [TOPIC, n('t'), LITERAL, 'User:bob', '10.0.0.1', WRITE, DENY],
        [TOPIC, n('t'), PREFIXED, 'User:alice', '*', ALL, ALLOW],
        [GROUP, n('g'), LITERAL, 'User:*', '*', READ, ALLOW],
        [TOPIC, n('t'), LITERAL, 'User:alice', '*', READ, ALLOW],
      ]),
      settled([TOPIC, n('t'), ANY, null, null, 1, 1], 3),
      settled([GROUP, n('g'), ANY, null, null, 1, 1], 1),
    ],
  },
  {
    id: 'acls/describe-filters',
    api: DescribeAcls,
    adjust: sortAcls,
    normalise: KEEP_HOSTS,
    steps: [
      create(
        [
          [TOPIC, n('t'), LITERAL, 'User:alice', '*', READ, ALLOW],
          [TOPIC, n('t'), LITERAL, 'User:bob', '10.0.0.1', WRITE, DENY],
          [TOPIC, n('t'), PREFIXED, 'User:alice', '*', DESCRIBE, ALLOW],
          [GROUP, n('t'), LITERAL, 'User:carol', '*', READ, ALLOW],
        ],
        { compare: false },
      ),
      settled([ANY, n('t'), ANY, null, null, 1, 1], 4),
      describe([TOPIC, n('t'), LITERAL, null, null, 1, 1]),
      describe([TOPIC, n('t'), PREFIXED, null, null, 1, 1]),
      describe([TOPIC, n('t-sub'), MATCH, null, null, 1, 1]),
      describe([ANY, n('t'), ANY, 'User:alice', null, 1, 1]),
      describe([ANY, n('t'), ANY, null, '10.0.0.1', 1, DENY]),
      describe([ANY, n('t'), ANY, null, null, READ, 1]),
      describe([TOPIC, n('nothing'), LITERAL, null, null, 1, 1]),
      // Unknown codes read as UNKNOWN by Java's fromCode: the filter matches nothing.
      describe([99, n('t'), ANY, null, null, 1, 1]),
    ],
  },
  {
    id: 'acls/create-invalid',
    api: CreateAcls,
    about: 'the per-binding checks and their messages, one request each, then a mixed request',
    steps: [
      create([[CLUSTER, fixed('my-cluster'), LITERAL, anon, '*', READ, ALLOW]]),
      create([[TOPIC, fixed(''), LITERAL, anon, '*', READ, ALLOW]]),
      create([[99, n('t'), LITERAL, anon, '*', READ, ALLOW]]),
      create([[TOPIC, n('t'), 99, anon, '*', READ, ALLOW]]),
      create([[TOPIC, n('t'), LITERAL, anon, '*', 77, ALLOW]]),
      create([[TOPIC, n('t'), LITERAL, anon, '*', READ, 99]]),
      create([[TOPIC, n('t'), LITERAL, 'alice', '*', READ, ALLOW]]),
      create([[TOPIC, n('t'), LITERAL, anon, '', READ, ALLOW]]),
      create([
        [CLUSTER, fixed('my-cluster'), LITERAL, anon, '*', READ, ALLOW],
        [TOPIC, fixed(''), LITERAL, anon, '*', READ, ALLOW],
        [TOPIC, n('ok'), LITERAL, anon, '*', READ, ALLOW],
      ]),
      // ANY and MATCH cannot make an AclBinding: the whole request fails.
      create([
        [ANY, n('t'), LITERAL, anon, '*', READ, ALLOW],
        [TOPIC, n('ok2'), LITERAL, anon, '*', READ, ALLOW],
      ]),
      create([[TOPIC, n('t'), MATCH, anon, '*', READ, ALLOW]]),
      create([[TOPIC, n('t'), ANY, anon, '*', READ, ALLOW]]),
      create([[TOPIC, n('t'), LITERAL, anon, '*', 1, ALLOW]]),
      create([[TOPIC, n('t'), LITERAL, anon, '*', READ, ANY]]),
    ],
  },
  {
    id: 'acls/create-unknown-code-closes',
    api: CreateAcls,
    versions: 'newest',
    steps: [create([[TOPIC, n('t'), 0, anon, '*', READ, ALLOW]])],
  },
  {
    id: 'acls/describe-unknown-code-closes',
    api: DescribeAcls,
    versions: 'newest',
    steps: [describe([0, null, ANY, null, null, 1, 1])],
  },
  {
    id: 'acls/delete',
    api: DeleteAcls,
    adjust: sortAcls,
    normalise: KEEP_HOSTS,
    steps: [
      create(
        [
          [TOPIC, n('t'), LITERAL, 'User:alice', '*', READ, ALLOW],
          [TOPIC, n('t'), LITERAL, 'User:bob', '*', WRITE, DENY],
          [TOPIC, n('t'), PREFIXED, 'User:alice', '*', DESCRIBE, ALLOW],
          [GROUP, n('t'), LITERAL, 'User:carol', '*', READ, ALLOW],
        ],
        { compare: false },
      ),
      settled([ANY, n('t'), ANY, null, null, 1, 1], 4),
      remove([
        [TOPIC, n('t'), LITERAL, 'User:alice', null, 1, 1],
        [TOPIC, n('t'), LITERAL, null, null, 1, 1],
        [TOPIC, n('t'), 0 + 99, null, null, 1, 1],
        [TOPIC, n('t'), ANY, null, null, 99, 1],
        [TOPIC, n('none'), ANY, null, null, 1, 1],
      ]),
      settled([ANY, n('t'), ANY, null, null, 1, 1], 2),
      remove([[ANY, n('t'), ANY, null, null, 1, 1]]),
      settled([ANY, n('t'), ANY, null, null, 1, 1], 0),
      describe([ANY, n('t'), ANY, null, null, 1, 1]),
    ],
  },
];

/** The ACL APIs, then the handlers' checks (acls-handlers.ts). */
export const ACL_SCENARIOS: Scenario[] = [...ACL_API_SCENARIOS, ...ACL_HANDLER_SCENARIOS];

/** Without an authorizer (kafkalite's and Kafka's default): SECURITY_DISABLED (test/oracle/acls-disabled.test.ts). */
export const ACL_DISABLED_SCENARIOS: Scenario[] = [
  {
    id: 'acls-disabled/describe',
    api: DescribeAcls,
    steps: [describe([ANY, null, ANY, null, null, 1, 1])],
  },
  {
    id: 'acls-disabled/create',
    api: CreateAcls,
    steps: [create([[TOPIC, n('t'), LITERAL, anon, '*', READ, ALLOW]])],
  },
  {
    id: 'acls-disabled/delete',
    api: DeleteAcls,
    steps: [remove([[ANY, null, ANY, null, null, 1, 1]])],
  },
];
