// Property tests of the message codecs (protocol/codec.ts) for EVERY API schema in
// protocol/messages/ and every version it declares, request and response, flexible or not:
//   * values generated from the schema itself (test/fuzz/arbitrary.ts) round-trip
//     encode → decode → equal, and re-encoding the decoded value gives the same bytes;
//   * decoding mutated encodings (bit flips, huge lengths and counts, truncation, splices) and
//     arbitrary bytes either succeeds or throws our ProtocolDecodeError — never a RangeError
//     from a Buffer read, a TypeError, or a hang.
// Seeded: FUZZ_SEED (default 14) and FUZZ_RUNS (runs per message version, default 8) from the
// environment; a failure prints the seed and path to replay it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { codecFor, decode, encode } from '../../protocol/codec.js';
import { ProtocolDecodeError } from '../../protocol/errors.js';
import { RequestHeader } from '../../protocol/header.js';
import { ALL_APIS } from '../../protocol/messages/index.js';
import { Reader } from '../../protocol/primitives.js';
import type { MessageSpec } from '../../protocol/schema.js';
import { messageArbitrary, presentOnly } from '../fuzz/arbitrary.js';
import { applyMutation, mutationArbitrary } from '../fuzz/mutate.js';

const SEED = Number(process.env.FUZZ_SEED ?? 14);
const RUNS = Number(process.env.FUZZ_RUNS ?? 8);

function* messageVersions(): Generator<[MessageSpec, number]> {
  for (const api of ALL_APIS) {
    for (let v = api.validVersions.min; v <= api.validVersions.max; v++) {
      yield [api.request, v];
      yield [api.response, v];
    }
  }
  for (let v = 0; v <= 2; v++) yield [RequestHeader, v];
}

/** Decoding must end in a value or our typed error. */
function decodeOrTypedError(msg: MessageSpec, v: number, bytes: Buffer): void {
  try {
    codecFor(msg, v).read(new Reader(bytes));
  } catch (err) {
    if (err instanceof ProtocolDecodeError) return;
    throw new Error(`${msg.name} v${v}: ${String(err)} decoding ${bytes.toString('hex').slice(0, 400)}`, { cause: err });
  }
}

test('every schema and version: generated values round-trip encode → decode → equal', () => {
  let pairs = 0;
  for (const [msg, v] of messageVersions()) {
    pairs++;
    fc.assert(
      fc.property(messageArbitrary(msg, v), (value) => {
        const bytes = encode(msg, v, value as never);
        const back = decode(msg, v, bytes);
        assert.deepStrictEqual(presentOnly(msg.fields, v, back), value, `${msg.name} v${v}`);
        assert.deepStrictEqual(encode(msg, v, back as never), bytes, `${msg.name} v${v} re-encoded`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  }
  assert.ok(pairs > 500, `only ${pairs} message versions`);
});

test('every schema and version: mutated encodings decode or throw ProtocolDecodeError', () => {
  for (const [msg, v] of messageVersions()) {
    fc.assert(
      fc.property(messageArbitrary(msg, v), fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }), (value, mutations) => {
        let bytes = encode(msg, v, value as never);
        for (const { frac, m } of mutations) bytes = applyMutation(bytes, frac, m);
        decodeOrTypedError(msg, v, bytes);
      }),
      { seed: SEED, numRuns: RUNS * 2, endOnFailure: true },
    );
  }
});

test('every schema and version: arbitrary bytes decode or throw ProtocolDecodeError', () => {
  for (const [msg, v] of messageVersions()) {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (a) => decodeOrTypedError(msg, v, Buffer.from(a))),
      { seed: SEED, numRuns: RUNS },
    );
  }
});

test('a huge array count is refused before anything is allocated for it', () => {
  // Produce v3 request: transactionalId null, acks, timeout, then topicData count 2^31 − 1.
  const bytes = Buffer.from('ffff0001000003e87fffffff', 'hex');
  const produce = ALL_APIS.find((a) => a.apiKey === 0)!;
  assert.throws(() => decode(produce.request, 3, bytes), ProtocolDecodeError);
  // The same count as a compact uvarint (v9, flexible).
  const flexible = Buffer.from('00ffff000003e8ffffffff07', 'hex');
  assert.throws(() => decode(produce.request, 9, flexible), ProtocolDecodeError);
});
