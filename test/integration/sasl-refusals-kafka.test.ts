// Refused SASL authentications through real clients, kafkalite next to Apache Kafka 4.4 with the
// same SASL_PLAINTEXT settings: a wrong PLAIN password, a wrong SCRAM password (and an unknown
// SCRAM user), and an expired OAUTHBEARER token (an unsecured JWT whose exp has passed). Each
// client reports the error it got from each broker, and the two must be the same text: the Java
// client 4.4 (one JVM for both brokers), kafkajs, franz-go and kcat (librdkafka); and the raw
// answer to a request sent in the middle of the token exchange.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { SCRAM_MECHANISMS } from '../../broker/security/scram-credentials.js';
import { franz } from '../go/franz.js';
import {
  CreateTopics,
  DescribeGroups,
  Fetch,
  FindCoordinator,
  ListOffsets,
  Metadata,
  OffsetCommit,
  Produce,
  SaslAuthenticate,
  SaslHandshake,
} from '../../protocol/messages/index.js';
import { encode } from '../../protocol/codec.js';
import { buildBatch } from '../../protocol/records/index.js';
import { JAVA_PROGRAMS, javaOk, startKafka, type RealKafka } from '../jvm/kafka.js';
import { hasCommand, requireTool, run } from './helpers.js';
import { requestFrame, WireClient } from './wire-client.js';

const JAAS =
  'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" ' +
  'user_admin="admin-secret" user_alice="alice-secret";';

/** An unsecured JWT (alg none) for `sub`, its exp `expSeconds` from now (negative: expired). */
function unsecuredJwt(sub: string, expSeconds: number): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none' })}.${b64({ sub, iat: now - 600, exp: now + expSeconds })}.`;
}

/** A Produce body naming a topic with a null name (length -1), which the codec will not encode. */
function nullTopicName(version: number): Buffer {
  const body = encode(Produce.request, version, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 1000,
    topicData: [{ name: 'Q', partitionData: [{ index: 0, records: Buffer.alloc(0) }] }],
  } as never);
  // The name 'Q' as a compact string (length + 1, then the byte) becomes a null one (0).
  const at = body.indexOf(Buffer.from([2, 0x51]));
  return Buffer.concat([body.subarray(0, at), Buffer.from([0]), body.subarray(at + 2)]);
}

describe('refused SASL authentications: kafkalite and Kafka 4.4 through the same clients', () => {
  let broker: Broker;
  let kafka: RealKafka;
  const targets = () => ({ kafkalite: broker.bootstrap, kafka: kafka.bootstrap });

  before(async () => {
    [broker, kafka] = await Promise.all([
      startBroker({
        config: {
          listeners: 'SASL_PLAINTEXT://127.0.0.1:0',
          'inter.broker.listener.name': 'SASL_PLAINTEXT',
          'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER',
          'listener.name.sasl_plaintext.plain.sasl.jaas.config': JAAS,
        },
      }),
      startKafka({
        config: ({ port, controllerPort }) => ({
          listeners: `SASL_PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
          'advertised.listeners': `SASL_PLAINTEXT://127.0.0.1:${port}`,
          'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT',
          'inter.broker.listener.name': 'SASL_PLAINTEXT',
          'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER',
          'sasl.mechanism.inter.broker.protocol': 'PLAIN',
          'listener.name.sasl_plaintext.plain.sasl.jaas.config': JAAS,
          'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config':
            'org.apache.kafka.common.security.scram.ScramLoginModule required;',
          'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config':
            'org.apache.kafka.common.security.scram.ScramLoginModule required;',
          'listener.name.sasl_plaintext.oauthbearer.sasl.jaas.config':
            'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="admin";',
        }),
      }),
    ]);
    for (const m of SCRAM_MECHANISMS) broker.core.sasl.credentials.seed(m, 'alice', 'alice-secret');
  });
  after(async () => {
    await Promise.all([broker?.stop(), kafka?.stop()]);
  });

  test('kafkajs: wrong PLAIN and SCRAM passwords, an expired token: the same error from both', async () => {
    const cases: Array<[string, SASLOptions]> = [
      ['plain', { mechanism: 'plain', username: 'alice', password: 'wrong' }],
      ['scram-sha-256', { mechanism: 'scram-sha-256', username: 'alice', password: 'wrong' }],
      ['scram-sha-512 unknown user', { mechanism: 'scram-sha-512', username: 'nobody', password: 'x' }],
      ['oauthbearer expired', { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: unsecuredJwt('alice', -60) }) }],
    ];
    const got: Record<string, Record<string, string>> = {};
    for (const [name, sasl] of cases) {
      for (const [target, bootstrap] of Object.entries(targets())) {
        const admin = new Kafka({ brokers: [bootstrap], sasl, logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
        // kafkajs takes OAUTHBEARER's error challenge ({"status":"invalid_token"}) for success: the refusal comes with its next request.
        const err = await admin
          .connect()
          .then(() => admin.listTopics())
          .then(
            () => new Error('served'),
            (e: Error) => e,
          );
        await admin.disconnect();
        got[name] = { ...got[name], [target]: `${err.name}: ${err.message}` };
      }
    }
    console.log(JSON.stringify(got, null, 1));
    for (const [name, r] of Object.entries(got)) {
      assert.match(r.kafka!, /SASL .* authentication failed: |No brokers/, `${name}: Kafka refused it`);
      assert.equal(r.kafkalite, r.kafka, name);
    }
  });

  test('a Metadata request in the middle of the token exchange: the same empty answer, then the close', async () => {
    // kafkajs takes OAUTHBEARER's error challenge for success and sends Metadata next: Kafka answers it with
    // MetadataRequest.getErrorResponse (ILLEGAL_SASL_STATE, which v12 has no field for) and closes.
    const out: Record<string, unknown> = {};
    for (const [target, bootstrap] of Object.entries(targets())) {
      const c = await WireClient.connect(bootstrap);
      await c.send(SaslHandshake, 1, { mechanism: 'OAUTHBEARER' });
      const challenge = await c.send(SaslAuthenticate, 2, {
        authBytes: Buffer.from(`n,,\x01auth=Bearer ${unsecuredJwt('alice', -60)}\x01\x01`),
      });
      const metadata = await c.send(Metadata, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
      await c.expectClose();
      out[target] = { challenge: challenge.authBytes.toString(), metadata };
    }
    assert.deepEqual(out.kafkalite, out.kafka);
    assert.deepEqual((out.kafka as { challenge: string }).challenge, '{"status":"invalid_token"}');
  });

  test('requests naming topics or groups in the middle of the token exchange: each listed with ILLEGAL_SASL_STATE, as Kafka', async () => {
    // Kafka answers with the request's getErrorResponse: Metadata lists each named topic, Produce and
    // ListOffsets each partition (Produce with the exception's message; none when a partition's
    // records are null: getErrorResponse throws), Fetch below v13 each partition,
    // FindCoordinator v4 each key, DescribeGroups each group, CreateTopics each topic, OffsetCommit each
    // partition (sasl-refusals-all-apis.test.ts compares every API with Kafka's classes).
    const records = buildBatch({ records: [{ value: Buffer.from('v') }] });
    const fetchTopics = [
      {
        topic: 'mid-a',
        partitions: [
          { partition: 0, fetchOffset: 0, partitionMaxBytes: 1024 },
          { partition: 2, fetchOffset: 0, partitionMaxBytes: 1024 },
        ],
      },
    ];
    const requests: Array<[string, (c: WireClient) => Promise<unknown>]> = [
      [
        'Metadata v12',
        (c) =>
          c.send(Metadata, 12, {
            topics: [{ name: 'mid-a' }, { name: 'mid-b' }],
            allowAutoTopicCreation: false,
            includeTopicAuthorizedOperations: false,
          }),
      ],
      ['Metadata v4', (c) => c.send(Metadata, 4, { topics: [{ name: 'mid-a' }], allowAutoTopicCreation: true })],
      [
        'Produce v9',
        (c) =>
          c.send(Produce, 9, {
            transactionalId: null,
            acks: -1,
            timeoutMs: 1000,
            // Several partitions: Kafka lists them in its HashMap's order, not the request's.
            topicData: [
              {
                name: 'mid-a',
                partitionData: [
                  { index: 1, records },
                  { index: 0, records },
                  { index: 17, records },
                ],
              },
              { name: 'mid-b', partitionData: [{ index: 3, records }] },
            ],
          }),
      ],
      [
        'Produce v7',
        (c) =>
          c.send(Produce, 7, {
            transactionalId: null,
            acks: 1,
            timeoutMs: 1000,
            topicData: [{ name: 'mid-b', partitionData: [{ index: 0, records }] }],
          }),
      ],
      // A partition with null records: Kafka's getErrorResponse throws (ProduceRequest.partitionSizes), so no answer.
      [
        'Produce v9 null records',
        (c) =>
          c.send(Produce, 9, {
            transactionalId: null,
            acks: -1,
            timeoutMs: 1000,
            topicData: [
              {
                name: 'mid-a',
                partitionData: [
                  { index: 0, records },
                  { index: 1, records: null },
                ],
              },
            ],
          }),
      ],
      [
        'Produce v13 null records',
        (c) =>
          c.send(Produce, 13, {
            transactionalId: null,
            acks: 1,
            timeoutMs: 1000,
            topicData: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', partitionData: [{ index: 0, records: null }] }],
          }),
      ],
      // A null topic name at v0-12 (the schema's name is not nullable): neither broker parses it, so no answer.
      [
        'Produce v9 null topic name',
        (c) => {
          c.sendRaw(requestFrame(Produce, 9, nullTopicName(9), { correlationId: 99 }));
          return c.expectClose().then(() => (c.frames.length > 2 ? 'answered' : 'closed without an answer'));
        },
      ],
      [
        'ListOffsets v7',
        (c) =>
          c.send(ListOffsets, 7, {
            replicaId: -1,
            isolationLevel: 0,
            topics: [
              {
                name: 'mid-a',
                partitions: [
                  { partitionIndex: 0, timestamp: -1 },
                  { partitionIndex: 1, timestamp: -2 },
                ],
              },
            ],
          }),
      ],
      [
        'ListOffsets v1',
        (c) =>
          c.send(ListOffsets, 1, {
            replicaId: -1,
            topics: [{ name: 'mid-a', partitions: [{ partitionIndex: 0, timestamp: -1 }] }],
          }),
      ],
      [
        'Fetch v12',
        (c) =>
          c.send(Fetch, 12, {
            replicaId: -1,
            maxWaitMs: 0,
            minBytes: 0,
            maxBytes: 1024,
            isolationLevel: 0,
            sessionId: 0,
            sessionEpoch: -1,
            topics: fetchTopics,
            forgottenTopicsData: [],
            rackId: '',
          }),
      ],
      [
        'Fetch v4',
        (c) => c.send(Fetch, 4, { replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1024, isolationLevel: 0, topics: fetchTopics }),
      ],
      ['FindCoordinator v4', (c) => c.send(FindCoordinator, 4, { keyType: 0, coordinatorKeys: ['g1', 'g2'] })],
      ['FindCoordinator v3', (c) => c.send(FindCoordinator, 3, { key: 'g1', keyType: 0 })],
      ['DescribeGroups v5', (c) => c.send(DescribeGroups, 5, { groups: ['g1', 'g2'], includeAuthorizedOperations: false })],
      [
        'CreateTopics v7',
        (c) =>
          c.send(CreateTopics, 7, {
            topics: [{ name: 'mid-c', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
            timeoutMs: 1000,
            validateOnly: false,
          }),
      ],
      [
        'OffsetCommit v8',
        (c) =>
          c.send(OffsetCommit, 8, {
            groupId: 'g1',
            generationIdOrMemberEpoch: -1,
            memberId: '',
            groupInstanceId: null,
            topics: [
              { name: 'mid-a', partitions: [{ partitionIndex: 0, committedOffset: 5, committedLeaderEpoch: -1, committedMetadata: '' }] },
            ],
          }),
      ],
    ];
    const out: Record<string, Record<string, unknown>> = { kafkalite: {}, kafka: {} };
    for (const [target, bootstrap] of Object.entries(targets())) {
      for (const [name, send] of requests) {
        const c = await WireClient.connect(bootstrap);
        await c.send(SaslHandshake, 1, { mechanism: 'OAUTHBEARER' });
        await c.send(SaslAuthenticate, 2, { authBytes: Buffer.from(`n,,\x01auth=Bearer ${unsecuredJwt('alice', -60)}\x01\x01`) });
        // A request Kafka cannot answer (its getErrorResponse is null) only closes the connection.
        out[target]![name] = await send(c).catch(() => 'closed without an answer');
        await c.expectClose();
      }
    }
    for (const name of Object.keys(out.kafka!)) assert.deepEqual(out.kafkalite![name], out.kafka![name], name);
    const produced = out.kafka!['Produce v9'] as {
      responses: Array<{ partitionResponses: Array<{ errorCode: number; errorMessage: string }> }>;
    };
    assert.deepEqual(
      [produced.responses[0]!.partitionResponses[0]!.errorCode, produced.responses[0]!.partitionResponses[0]!.errorMessage],
      [34, 'Unexpected Kafka request of type PRODUCE during SASL authentication.'],
    );
    assert.equal(out.kafka!['Produce v9 null records'], 'closed without an answer');
    assert.equal(out.kafka!['Produce v13 null records'], 'closed without an answer');
    assert.equal(out.kafka!['Produce v9 null topic name'], 'closed without an answer');
    assert.equal((out.kafka!['Metadata v12'] as { topics: unknown[] }).topics.length, 2);
    assert.equal((out.kafka!['DescribeGroups v5'] as { groups: unknown[] }).groups.length, 2);
  });

  test('franz-go: the same kerr and message from both', async () => {
    const cases: Array<[string, string[]]> = [
      ['plain', ['-mechanism', 'plain', '-user', 'alice', '-password', 'wrong']],
      ['scram-sha-512', ['-mechanism', 'scram-sha-512', '-user', 'alice', '-password', 'wrong']],
      ['oauthbearer expired', ['-mechanism', 'oauthbearer', '-token', unsecuredJwt('alice', -60)]],
    ];
    for (const [name, args] of cases) {
      const out: Record<string, { error?: string; message?: string }> = {};
      for (const [target, bootstrap] of Object.entries(targets())) {
        out[target] = await franz('sasl-matrix', bootstrap, [...args, '-topic', 'none', '-tag', 'x', '-timeout', '15s']);
      }
      assert.equal(out.kafka!.error, 'SASL_AUTHENTICATION_FAILED', `${name}: ${JSON.stringify(out)}`);
      assert.deepEqual(
        { error: out.kafkalite!.error, message: out.kafkalite!.message?.replace(/127\.0\.0\.1:\d+/g, 'HOST') },
        { error: out.kafka!.error, message: out.kafka!.message?.replace(/127\.0\.0\.1:\d+/g, 'HOST') },
        name,
      );
    }
  });

  test('the Java client: SaslAuthenticationException with the same message from both', async () => {
    const cells = Object.entries(targets()).flatMap(([target, bootstrap]) =>
      ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'].map((m) => `SASL_PLAINTEXT,${bootstrap},${m},alice,wrong,none,${target}/${m}`),
    );
    const r = await javaOk([join(JAVA_PROGRAMS, 'SaslMatrix.java'), '-', ...cells], { timeoutMs: 120_000 });
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { tag?: string; error?: string; message?: string });
    const by = Object.fromEntries(lines.filter((l) => l.tag).map((l) => [l.tag!, `${l.error}: ${l.message}`]));
    console.log(JSON.stringify(by, null, 1));
    for (const m of ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']) {
      assert.match(by[`kafka/${m}`]!, /^SaslAuthenticationException: /, m);
      assert.equal(by[`kafkalite/${m}`], by[`kafka/${m}`], m);
    }
  });

  test('kcat (librdkafka): the same SASL authentication error from both', async () => {
    requireTool(() => hasCommand('kcat'), 'kcat');
    // Both at once: kcat waits out -m on a refused connection.
    const out = Object.fromEntries(
      await Promise.all(
        Object.entries(targets()).map(async ([target, bootstrap]) => {
          const r = await run('kcat', [
            '-b',
            bootstrap,
            ...['-X', 'security.protocol=SASL_PLAINTEXT', '-X', 'sasl.mechanism=SCRAM-SHA-256', '-X', 'sasl.username=alice'],
            ...['-X', 'sasl.password=wrong', '-L', '-m', '3'],
          ]);
          assert.notEqual(r.code, 0);
          return [target, /SASL authentication error: [^(\n]*/.exec(r.stderr)?.[0] ?? r.stderr] as const;
        }),
      ),
    );
    assert.match(out.kafka!, /^SASL authentication error: /);
    assert.equal(out.kafkalite, out.kafka);
  });
});
