// Request and response frames captured from real clients (kafka-python, kcat, confluent-kafka,
// kafkajs; see test/fixtures/requests/README.md and test/fixtures/capture.ts). Every frame is
// decoded with our schema at its version, must be consumed to the last byte, and must
// re-encode to exactly the captured bytes: our schemas read and write real clients' bytes.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { codecFor } from '../../protocol/codec.js';
import { RequestHeader, requestHeaderVersion, ResponseHeader, responseHeaderVersion } from '../../protocol/header.js';
import { API_BY_KEY } from '../../protocol/messages/index.js';
import { Reader, Writer } from '../../protocol/primitives.js';
import { completeEntriesLength, entrySizeAt, isCrcValid, magicAt } from '../../protocol/records/index.js';
import type { ApiSpec, MessageSpec } from '../../protocol/schema.js';

function fixturesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'test', 'fixtures', 'requests');
    if (existsSync(join(candidate, 'README.md'))) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error('test/fixtures/requests not found');
    dir = up;
  }
}

interface Fixture {
  client: string;
  apiKey: number;
  apiVersion: number;
  base: string;
  request: Buffer;
  response: Buffer | null;
}

/** A .hex fixture: `#` comment lines, then hex; returns the frame without its size prefix. */
function loadFrame(path: string): Buffer {
  const lines = readFileSync(path, 'utf8').split('\n');
  assert.match(lines[0]!, /^# captured from .+ on \d{4}-\d{2}-\d{2}$/, `${path}: header comment`);
  const hex = lines
    .filter((l) => !l.startsWith('#'))
    .join('')
    .trim();
  assert.match(hex, /^([0-9a-f]{2})+$/, `${path}: hex`);
  const wire = Buffer.from(hex, 'hex');
  assert.ok(wire.length >= 4, `${path}: shorter than a size prefix`);
  assert.equal(wire.readInt32BE(0), wire.length - 4, `${path}: size prefix matches the frame`);
  return wire.subarray(4);
}

const DIR = fixturesDir();
const FIXTURES: Fixture[] = [];
for (const client of readdirSync(DIR).sort()) {
  const cdir = join(DIR, client);
  if (!statSync(cdir).isDirectory()) continue;
  for (const name of readdirSync(cdir).sort()) {
    const m = /^(\d\d)-(\w+)-v(\d+)\.request\.hex$/.exec(name);
    if (!m) continue;
    const base = name.slice(0, -'.request.hex'.length);
    const resPath = join(cdir, `${base}.response.hex`);
    FIXTURES.push({
      client,
      apiKey: Number(m[1]),
      apiVersion: Number(m[3]),
      base,
      request: loadFrame(join(cdir, name)),
      response: existsSync(resPath) ? loadFrame(resPath) : null,
    });
  }
}

/** Byte equality with the first differing offset in the message. */
function assertSameBytes(actual: Buffer, expected: Buffer, what: string): void {
  if (actual.equals(expected)) return;
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  assert.fail(
    `${what}: re-encoded ${actual.length} bytes differ from the ${expected.length} captured at offset ${i}\n` +
      `  captured:   ${expected.subarray(Math.max(0, i - 8), i + 24).toString('hex')}\n` +
      `  re-encoded: ${actual.subarray(Math.max(0, i - 8), i + 24).toString('hex')}`,
  );
}

/** Decode header + body from `frame`, check every byte is read, re-encode, compare. */
function roundTrip(frame: Buffer, header: MessageSpec, headerVersion: number, body: MessageSpec, version: number, what: string) {
  const r = new Reader(frame);
  const h = codecFor(header, headerVersion).read(r);
  const headerEnd = r.pos;
  const b = codecFor(body, version).read(r);
  assert.equal(r.pos, frame.length, `${what}: ${frame.length - r.pos} bytes left after decoding`);
  const w = new Writer();
  codecFor(header, headerVersion).write(w, h);
  assertSameBytes(w.toBuffer(), frame.subarray(0, headerEnd), `${what} header v${headerVersion}`);
  const w2 = new Writer();
  codecFor(header, headerVersion).write(w2, h);
  codecFor(body, version).write(w2, b);
  assertSameBytes(w2.toBuffer(), frame, what);
  return { header: h as Record<string, unknown>, body: b as Record<string, unknown> };
}

/**
 * Beyond byte equality (which a symmetric schema mistake would pass): every decoded string is
 * printable ASCII (what these clients send: topic names, client ids, config names), and every
 * `records` blob splits into whole log entries of magic 0-2, magic-2 batches with a valid
 * CRC. A field read at the wrong width or in the wrong order would break one of these.
 */
function checkValues(value: unknown, path: string, where: string, partialTail: boolean): void {
  if (typeof value === 'string') {
    assert.match(value, /^[\x20-\x7e]*$/, `${where}: ${path} is not printable: ${JSON.stringify(value)}`);
  } else if (Buffer.isBuffer(value)) {
    if (!path.endsWith('.records') || value.length === 0) return;
    let pos = 0;
    for (let size = entrySizeAt(value, pos); size > 0; pos += size, size = entrySizeAt(value, pos)) {
      const magic = magicAt(value, pos);
      assert.ok(magic >= 0 && magic <= 2, `${where}: ${path} entry at ${pos} has magic ${magic}`);
      if (magic === 2) assert.ok(isCrcValid(value, pos), `${where}: ${path} batch at ${pos} has a bad CRC`);
    }
    assert.ok(pos > 0, `${where}: ${path} holds no whole entry`);
    // A Fetch response may end with a partial entry (cut at the size limit); a Produce request may not.
    if (!partialTail) assert.equal(completeEntriesLength(value), value.length, `${where}: ${path} has trailing bytes`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      checkValues(v, `${path}[${i}]`, where, partialTail);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) checkValues(v, `${path}.${k}`, where, partialTail);
  }
}

describe('captured client frames', () => {
  test('fixtures exist', () => {
    assert.ok(FIXTURES.length > 0, `no fixtures under ${DIR}; run node dist/test/fixtures/capture.js`);
  });

  for (const fx of FIXTURES) {
    const api = API_BY_KEY.get(fx.apiKey) as ApiSpec | undefined;
    test(`${fx.client} ${fx.base}: request and response decode fully and re-encode byte for byte`, () => {
      assert.ok(api, `no schema for API key ${fx.apiKey}`);
      assert.equal(fx.base, `${String(fx.apiKey).padStart(2, '0')}-${api.name}-v${fx.apiVersion}`);

      const req = roundTrip(
        fx.request,
        RequestHeader,
        requestHeaderVersion(fx.apiKey, fx.apiVersion, api),
        api.request,
        fx.apiVersion,
        `${fx.client} ${fx.base} request`,
      );
      assert.equal(req.header.requestApiKey, fx.apiKey);
      assert.equal(req.header.requestApiVersion, fx.apiVersion);
      checkValues(req.header, 'header', `${fx.client} ${fx.base} request`, false);
      checkValues(req.body, 'body', `${fx.client} ${fx.base} request`, false);

      if (fx.response === null) return; // a request without a response (e.g. Produce acks=0)
      const res = roundTrip(
        fx.response,
        ResponseHeader,
        responseHeaderVersion(fx.apiKey, fx.apiVersion, api),
        api.response,
        fx.apiVersion,
        `${fx.client} ${fx.base} response`,
      );
      assert.equal(res.header.correlationId, req.header.correlationId, 'response answers the request');
      checkValues(res.body, 'body', `${fx.client} ${fx.base} response`, true);
    });
  }

  test('fixtures cover at least 3 clients and 2+ versions of Produce, Fetch, Metadata and ApiVersions', () => {
    const clients = new Set(FIXTURES.map((f) => f.client));
    assert.ok(clients.size >= 3, `fixtures from ${[...clients].join(', ')}`);
    for (const [key, name] of [
      [0, 'Produce'],
      [1, 'Fetch'],
      [3, 'Metadata'],
      [18, 'ApiVersions'],
    ] as const) {
      const versions = new Set(FIXTURES.filter((f) => f.apiKey === key).map((f) => f.apiVersion));
      assert.ok(versions.size >= 2, `${name} versions captured: ${[...versions].join(', ')}`);
    }
    // Every request that expects a response has one captured.
    for (const f of FIXTURES) if (f.apiKey !== 0) assert.ok(f.response, `${f.client} ${f.base} has a response`);
  });
});
