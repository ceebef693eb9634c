// The answer to a request sent in the middle of the SASL token exchange, for every API and version
// kafkalite knows, compared byte for byte with Kafka 4.4's own getErrorResponse: the requests are
// generated from the schemas (test/fuzz/arbitrary.ts, fixed seeds), kafkalite answers them with
// broker/security/sasl/refusal.ts, and one JVM (test/jvm/programs/ErrorResponses.java) parses the
// same bytes with Kafka's AbstractRequest.parseRequest and serialises the request's
// getErrorResponse(IllegalSaslStateException), as SaslServerAuthenticator.handleSaslToken does.
// sasl-refusals-kafka.test.ts sends a few of them to both brokers over the wire.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { illegalSaslStateResponse } from '../../broker/security/sasl/refusal.js';
import { decode, encode } from '../../protocol/codec.js';
import { RequestHeader, requestHeaderVersion, responseHeaderVersion } from '../../protocol/header.js';
import { ALL_APIS } from '../../protocol/messages/index.js';
import { messageArbitrary } from '../fuzz/arbitrary.js';
import { JAVA_PROGRAMS, javaOk } from '../jvm/kafka.js';

const SAMPLES = 4;

/** A response body in hex, decoded for the failure message. */
function show(c: Case, hex: string): string {
  if (hex === 'null') return hex;
  const api = ALL_APIS.find((a) => a.apiKey === c.apiKey)!;
  try {
    return JSON.stringify(decode(api.response, c.version, Buffer.from(hex, 'hex')));
  } catch {
    return hex;
  }
}

interface Case {
  api: string;
  apiKey: number;
  version: number;
  body: Buffer;
  ours: string;
}

/** kafkalite's answer to `body` framed as a request: the response body in hex, or 'null' for no answer. */
function oursFor(apiKey: number, version: number, body: Buffer): string {
  const api = ALL_APIS.find((a) => a.apiKey === apiKey)!;
  const header = encode(RequestHeader, requestHeaderVersion(apiKey, version, api), {
    requestApiKey: apiKey,
    requestApiVersion: version,
    correlationId: 7,
    clientId: 'c',
  });
  const out = illegalSaslStateResponse(Buffer.concat([header, body]));
  if (!out) return 'null';
  const framed = Buffer.concat(out);
  // size (4), correlation id (4), and the flexible header's empty tagged fields (1).
  const skip = 8 + (responseHeaderVersion(apiKey, version, api) === 1 ? 1 : 0);
  return framed.subarray(skip).toString('hex');
}

test('every API and version: the ILLEGAL_SASL_STATE answer is byte for byte Kafka 4.4 getErrorResponse', async () => {
  const cases: Case[] = [];
  for (const api of ALL_APIS) {
    for (let v = api.validVersions.min; v <= api.validVersions.max; v++) {
      const values = fc.sample(messageArbitrary(api.request, v, { maxArray: 3, maxBytes: 8 }), {
        seed: api.apiKey * 1000 + v,
        numRuns: SAMPLES,
      });
      for (const value of values) {
        const body = encode(api.request, v, value as never);
        cases.push({ api: api.name, apiKey: api.apiKey, version: v, body, ours: oursFor(api.apiKey, v, body) });
      }
    }
  }
  // Produce lists partitions in the order of a Java HashMap (ProduceRequest.partitionSizes): many
  // partitions of a few topics, repeated ones among them, put several in one bucket and resize it.
  const records = Buffer.alloc(0);
  for (const [v, count] of [
    [9, 20],
    [13, 40],
  ] as const) {
    const api = ALL_APIS.find((a) => a.apiKey === 0)!;
    const partitionData = Array.from({ length: count }, (_, i) => ({ index: (i * 7) % 33, records }));
    const body = encode(api.request, v, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 1000,
      topicData: [
        { name: 'orders', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitionData },
        { name: 'payments', topicId: 'AAAAAAAAAAAAAAAAAAAAAB', partitionData: partitionData.slice(3, 12) },
      ],
    });
    cases.push({ api: 'Produce (many partitions)', apiKey: 0, version: v, body, ours: oursFor(0, v, body) });
  }
  const input = cases.map((c) => `${c.apiKey} ${c.version} ${c.body.toString('hex')}`).join('\n');
  const r = await javaOk([join(JAVA_PROGRAMS, 'ErrorResponses.java')], { input, timeoutMs: 180_000 });
  const kafka = r.stdout.trim().split('\n');
  assert.equal(kafka.length, cases.length);
  const differ: string[] = [];
  let compared = 0;
  let throwing = 0;
  for (const [i, c] of cases.entries()) {
    const k = kafka[i]!;
    // A request Kafka cannot parse is not answered, only closed: the generator's random enums and
    // lengths make some; kafkalite's stricter or looser parsing of those is not what this compares.
    if (k.startsWith('unparsable')) continue;
    compared++;
    // One whose getErrorResponse throws (a NullPointerException: Produce with null records in
    // partitionSizes, DescribeUserScramCredentials with null users) fails the authentication
    // without an answer: kafkalite gives none either.
    if (k.startsWith('throws')) {
      throwing++;
      if (c.ours !== 'null') differ.push(`${c.api} v${c.version}: kafka ${k} (no answer), kafkalite ${show(c, c.ours)}`);
      continue;
    }
    if (k !== c.ours) differ.push(`${c.api} v${c.version}: kafka ${show(c, k)} kafkalite ${show(c, c.ours)}`);
  }
  if (process.env.REFUSAL_DIFF) writeFileSync(process.env.REFUSAL_DIFF, differ.join('\n'));
  console.log(`${compared} of ${cases.length} requests compared (the rest Kafka cannot parse), ${throwing} of them unanswered`);
  const apis = new Set(differ.map((d) => d.split(':')[0]));
  assert.deepEqual(differ.slice(0, 20), [], `${differ.length} differ (${[...apis].join(', ')})`);
  assert.ok(compared > cases.length / 2, `${compared} of ${cases.length} compared`);
  assert.ok(throwing > 0, 'some samples make Kafka throw');
});
