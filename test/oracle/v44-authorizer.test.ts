// The authorizer against Kafka 4.4's own StandardAuthorizer: the same ACL table loaded into
// both (Kafka's through test/jvm/programs/AclGrid.java, in one JVM run per configuration), then
// every principal × host × resource type × name × operation of the grid asked of both, plus
// authorizeByResourceType per principal × host × type × operation. Every decision must agree.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../../config/index.js';
import {
  type AclBinding,
  AclOperation as Op,
  PatternType as P,
  Permission,
  ResourceType as R,
} from '../../broker/security/authorizer/acl.js';
import { Authorizer, STANDARD_AUTHORIZER } from '../../broker/security/authorizer/authorizer.js';
import type { LogStore } from '../../storage/types.js';
import { JAVA_PROGRAMS, javaOk } from '../jvm/kafka.js';

const ALLOW = Permission.ALLOW;
const DENY = Permission.DENY;
const acl = (
  resourceType: number,
  resourceName: string,
  patternType: number,
  principal: string,
  host: string,
  operation: number,
  permissionType: number,
): AclBinding => ({ resourceType, resourceName, patternType, principal, host, operation, permissionType });

/** One table exercising every rule: literal, prefixed and `*` names; User:* and hosts (exact, `*`, CIDR); DENY over ALLOW; ALL; implications. */
const TABLE: AclBinding[] = [
  // topics
  acl(R.TOPIC, 'orders', P.LITERAL, 'User:alice', '*', Op.READ, ALLOW),
  acl(R.TOPIC, 'orders', P.LITERAL, 'User:alice', '10.0.0.9', Op.WRITE, ALLOW),
  acl(R.TOPIC, 'orders', P.LITERAL, 'User:bob', '*', Op.ALL, ALLOW),
  acl(R.TOPIC, 'orders', P.LITERAL, 'User:bob', '10.1.2.3', Op.DELETE, DENY),
  acl(R.TOPIC, 'pay', P.PREFIXED, 'User:*', '*', Op.WRITE, ALLOW),
  acl(R.TOPIC, 'payroll', P.LITERAL, 'User:carol', '*', Op.WRITE, DENY),
  acl(R.TOPIC, 'pay-secret', P.PREFIXED, 'User:*', '*', Op.ALL, DENY),
  acl(R.TOPIC, '*', P.LITERAL, 'User:dave', '*', Op.DESCRIBE, ALLOW),
  acl(R.TOPIC, 'logs', P.LITERAL, 'User:alice', '10.0.0.0/8', Op.ALTER_CONFIGS, ALLOW),
  acl(R.TOPIC, 'logs', P.LITERAL, 'User:bob', '192.168.0.0/16', Op.ALTER, ALLOW),
  acl(R.TOPIC, 'logs', P.LITERAL, 'User:ANONYMOUS', '*', Op.READ, DENY),
  acl(R.TOPIC, 'l', P.PREFIXED, 'User:ANONYMOUS', '*', Op.READ, ALLOW),
  // groups
  acl(R.GROUP, 'g1', P.LITERAL, 'User:alice', '*', Op.READ, ALLOW),
  acl(R.GROUP, 'g', P.PREFIXED, 'User:bob', '*', Op.DESCRIBE, ALLOW),
  acl(R.GROUP, 'g1', P.LITERAL, 'User:*', '10.1.2.3', Op.READ, DENY),
  acl(R.GROUP, '*', P.LITERAL, 'User:carol', '*', Op.DELETE, ALLOW),
  // cluster
  acl(R.CLUSTER, 'kafka-cluster', P.LITERAL, 'User:alice', '*', Op.IDEMPOTENT_WRITE, ALLOW),
  acl(R.CLUSTER, 'kafka-cluster', P.LITERAL, 'User:bob', '*', Op.ALTER_CONFIGS, ALLOW),
  acl(R.CLUSTER, 'kafka-cluster', P.LITERAL, 'User:*', '192.168.0.5', Op.ALL, DENY),
  acl(R.CLUSTER, 'kafka-cluster', P.LITERAL, 'User:carol', '*', Op.CREATE, ALLOW),
  // transactional ids
  acl(R.TRANSACTIONAL_ID, 'tx-', P.PREFIXED, 'User:alice', '*', Op.WRITE, ALLOW),
  acl(R.TRANSACTIONAL_ID, 'tx-1', P.LITERAL, 'User:alice', '*', Op.DESCRIBE, DENY),
  acl(R.TRANSACTIONAL_ID, '*', P.LITERAL, 'User:bob', '*', Op.TWO_PHASE_COMMIT, ALLOW),
  // delegation tokens and users
  acl(R.DELEGATION_TOKEN, 'tok', P.LITERAL, 'User:alice', '*', Op.DESCRIBE, ALLOW),
  acl(R.USER, 'User:carol', P.LITERAL, 'User:alice', '*', Op.CREATE_TOKENS, ALLOW),
  acl(R.USER, 'User:', P.PREFIXED, 'User:bob', '*', Op.DESCRIBE_TOKENS, ALLOW),
  acl(R.USER, 'User:carol', P.LITERAL, 'User:*', '*', Op.DESCRIBE_TOKENS, DENY),
];

const PRINCIPALS = ['User:alice', 'User:bob', 'User:carol', 'User:dave', 'User:ANONYMOUS', 'User:root', 'Group:alice'];
const HOSTS = ['10.0.0.9', '10.1.2.3', '192.168.0.5', '127.0.0.1', '::1'];
const NAMES: Record<number, string[]> = {
  [R.TOPIC]: ['orders', 'orders2', 'pay', 'payroll', 'pay-secret-1', 'logs', 'l', 'other'],
  [R.GROUP]: ['g1', 'g2', 'h'],
  [R.CLUSTER]: ['kafka-cluster'],
  [R.TRANSACTIONAL_ID]: ['tx-1', 'tx-2', 'ty'],
  [R.DELEGATION_TOKEN]: ['tok', 'tok2'],
  [R.USER]: ['User:carol', 'User:eve'],
};
const OPERATIONS = Array.from({ length: 13 }, (_, i) => i + 3); // READ (3) .. TWO_PHASE_COMMIT (15)

const CONFIGS: Array<Record<string, string>> = [
  { 'super.users': 'User:root;User:nobody' },
  { 'allow.everyone.if.no.acl.found': 'true', 'super.users': ' User:root ' },
];

const silent = pino({ level: 'silent' });
const memory = { kind: 'memory' } as LogStore;

test('authorizer decisions equal Kafka 4.4 StandardAuthorizer over the grid', { timeout: 300_000 }, async (t) => {
  for (const cfg of CONFIGS) {
    const ours = new Authorizer(loadConfig({ overrides: { 'authorizer.class.name': STANDARD_AUTHORIZER, ...cfg } }), memory, silent);
    ours.create(TABLE);
    const lines: string[] = [];
    for (const [k, v] of Object.entries(cfg)) lines.push(`config\t${k}\t${v}`);
    for (const b of TABLE)
      lines.push(['acl', b.resourceType, b.resourceName, b.patternType, b.principal, b.host, b.operation, b.permissionType].join('\t'));
    const expected: string[] = [];
    const asked: string[] = [];
    for (const principal of PRINCIPALS)
      for (const host of HOSTS)
        for (const [type, names] of Object.entries(NAMES))
          for (const op of OPERATIONS) {
            for (const name of names) {
              lines.push(['ask', principal, host, type, name, op].join('\t'));
              asked.push(`${principal} ${host} type ${type} ${name} op ${op}`);
              expected.push(ours.authorize({ principal, host }, op, Number(type), name) ? 'A' : 'D');
            }
            lines.push(['bytype', principal, host, type, op].join('\t'));
            asked.push(`byResourceType ${principal} ${host} type ${type} op ${op}`);
            expected.push(ours.authorizeByResourceType({ principal, host }, op, Number(type)) ? 'A' : 'D');
          }
    const r = await javaOk([join(JAVA_PROGRAMS, 'AclGrid.java')], { input: `${lines.join('\n')}\n`, timeoutMs: 240_000 });
    const kafka = r.stdout.trim().split('\n');
    assert.equal(kafka.length, expected.length);
    const differ = asked.filter((_, i) => kafka[i] !== expected[i]).map((q) => `${q}: kafka ${kafka[asked.indexOf(q)]}`);
    assert.deepEqual(differ.slice(0, 20), [], `${differ.length} decisions differ (config ${JSON.stringify(cfg)})`);
    const allowed = expected.filter((x) => x === 'A').length;
    t.diagnostic(`${JSON.stringify(cfg)}: ${expected.length} decisions equal Kafka's (${allowed} allowed)`);
    // The grid means something only if both answers occur often.
    assert.ok(allowed > 100 && expected.length - allowed > 100);
  }
});
