// The Schema Registry's REST API (broker/schema-registry/) over real HTTP with fetch: Confluent's
// paths, bodies, error codes and messages, content type; its state in `_schemas` (records in
// Confluent's key/value JSON, read back with a Kafka consumer), surviving a restart on disk;
// seeding, reset() and snapshot()/restore(); and `kafkalite start` / `kafkalite schemas`.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { REPO_ROOT, run, startCli, tempDir } from './helpers.js';

interface Json {
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies are walked freely and compared with assert, which takes anything
  [k: string]: any;
}

const CT = 'application/vnd.schemaregistry.v1+json';

function client(url: () => string) {
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Json; type: string | null }> => {
    const res = await fetch(url() + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': CT },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, type: res.headers.get('content-type') };
  };
}

const order = (fields: unknown[] = []) =>
  JSON.stringify({ type: 'record', name: 'Order', namespace: 'shop', fields: [{ name: 'id', type: 'long' }, ...fields] });

describe('Schema Registry REST API', () => {
  let broker: Broker;
  const sr = client(() => broker.schemaRegistry!.url);
  before(async () => {
    broker = await startBroker({ schemaRegistry: { port: 0 } });
  });
  after(() => broker.stop());

  test('register, same schema same id, lookup, versions, schemas by id, content type', async () => {
    const first = await sr('POST', '/subjects/orders-value/versions', { schema: order() });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.type, CT);
    const again = await sr('POST', '/subjects/orders-value/versions', {
      schema: JSON.stringify(JSON.parse(order()), null, 2),
    });
    assert.equal(again.body.id, first.body.id, 'the same schema, formatted differently, keeps its id and version');
    assert.deepEqual((await sr('GET', '/subjects/orders-value/versions')).body, [1]);
    // The same schema under another subject shares the id.
    const other = await sr('POST', '/subjects/archive-value/versions', { schema: order() });
    assert.equal(other.body.id, first.body.id);
    const v2 = await sr('POST', '/subjects/orders-value/versions', { schema: order([{ name: 'note', type: 'string', default: '' }]) });
    assert.equal(v2.body.version, 2);
    assert.notEqual(v2.body.id, first.body.id);

    const latest = await sr('GET', '/subjects/orders-value/versions/latest');
    assert.deepEqual(Object.keys(latest.body), ['subject', 'version', 'id', 'schema'], 'no schemaType for Avro');
    assert.equal(latest.body.version, 2);
    const looked = await sr('POST', '/subjects/orders-value', { schema: order() });
    assert.equal(looked.body.version, 1);
    assert.equal(looked.body.id, first.body.id);
    assert.deepEqual((await sr('POST', '/subjects/orders-value', { schema: order([{ name: 'x', type: 'int' }]) })).body, {
      error_code: 40403,
      message: 'Schema not found',
    });
    assert.deepEqual((await sr('GET', `/schemas/ids/${first.body.id}`)).body, { schema: order() });
    assert.deepEqual((await sr('GET', `/schemas/ids/${first.body.id}/versions`)).body, [
      { subject: 'archive-value', version: 1 },
      { subject: 'orders-value', version: 1 },
    ]);
    assert.deepEqual((await sr('GET', `/schemas/ids/${first.body.id}/subjects`)).body, ['archive-value', 'orders-value']);
    const raw = await fetch(`${broker.schemaRegistry!.url}/subjects/orders-value/versions/1/schema`);
    assert.equal(await raw.text(), order());
    assert.deepEqual((await sr('GET', '/schemas/types')).body, ['AVRO', 'JSON', 'PROTOBUF']);
  });

  test("Confluent's error codes and messages", async () => {
    assert.deepEqual((await sr('GET', '/subjects/nope/versions')).body, { error_code: 40401, message: "Subject 'nope' not found." });
    assert.deepEqual((await sr('GET', '/subjects/orders-value/versions/9')).body, { error_code: 40402, message: 'Version 9 not found.' });
    const badVersion = await sr('GET', '/subjects/orders-value/versions/zero');
    assert.equal(badVersion.status, 422);
    assert.equal(badVersion.body.error_code, 42202);
    assert.deepEqual((await sr('GET', '/schemas/ids/999')).body, { error_code: 40403, message: 'Schema 999 not found' });
    const invalid = await sr('POST', '/subjects/bad/versions', {
      schema: '{"type":"record","name":"X","fields":[{"name":"a","type":"nope"}]}',
    });
    assert.equal(invalid.status, 422);
    assert.equal(invalid.body.error_code, 42201);
    const incompatible = await sr('POST', '/subjects/orders-value/versions', { schema: order([{ name: 'must', type: 'string' }]) });
    assert.equal(incompatible.status, 409);
    assert.equal(incompatible.body.error_code, 40901);
    assert.match(
      incompatible.body.message,
      /^Schema being registered is incompatible with an earlier schema for subject "orders-value", details: \[\{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'/,
    );
    const badLevel = await sr('PUT', '/config', { compatibility: 'SIDEWAYS' });
    assert.deepEqual([badLevel.status, badLevel.body.error_code], [422, 42203]);
    const badMode = await sr('PUT', '/mode', { mode: 'FAST' });
    assert.deepEqual([badMode.status, badMode.body.error_code], [422, 42204]);
  });

  test('compatibility checks, with verbose messages; configs per subject and global', async () => {
    const ok = await sr('POST', '/compatibility/subjects/orders-value/versions/latest', {
      schema: order([{ name: 'note', type: 'string', default: '' }]),
    });
    assert.deepEqual(ok.body, { is_compatible: true });
    const no = await sr('POST', '/compatibility/subjects/orders-value/versions/latest?verbose=true', {
      schema: order([{ name: 'q', type: 'int' }]),
    });
    assert.equal(no.body.is_compatible, false);
    assert.ok(
      no.body.messages.some((m: string) => m.includes("'q'")),
      JSON.stringify(no.body),
    );
    const nothing = { schema: order() };
    assert.deepEqual((await sr('POST', '/compatibility/subjects/none-yet/versions/latest', nothing)).body, { is_compatible: true });
    assert.deepEqual((await sr('POST', '/compatibility/subjects/none-yet/versions/3', nothing)).body, {
      error_code: 40402,
      message: 'Version 3 not found.',
    });
    assert.deepEqual((await sr('GET', '/config')).body, { compatibilityLevel: 'BACKWARD' });
    assert.deepEqual((await sr('GET', '/config/orders-value')).body.error_code, 40408);
    assert.deepEqual((await sr('GET', '/config/orders-value?defaultToGlobal=true')).body, { compatibilityLevel: 'BACKWARD' });
    assert.deepEqual((await sr('PUT', '/config/orders-value', { compatibility: 'NONE' })).body, { compatibility: 'NONE' });
    assert.deepEqual((await sr('GET', '/config/orders-value')).body, { compatibilityLevel: 'NONE' });
    const now = await sr('POST', '/compatibility/subjects/orders-value/versions/latest', { schema: order([{ name: 'q', type: 'int' }]) });
    assert.deepEqual(now.body, { is_compatible: true });
    assert.deepEqual((await sr('DELETE', '/config/orders-value')).body, { compatibilityLevel: 'NONE' });
    assert.deepEqual((await sr('PUT', '/config', { compatibility: 'full_transitive' })).body, { compatibility: 'FULL_TRANSITIVE' });
    assert.deepEqual((await sr('GET', '/config/orders-value?defaultToGlobal=true')).body, { compatibilityLevel: 'FULL_TRANSITIVE' });
    await sr('PUT', '/config', { compatibility: 'BACKWARD' });
  });

  test('soft and hard deletes', async () => {
    await sr('POST', '/subjects/gone/versions', { schema: order() });
    await sr('POST', '/subjects/gone/versions', { schema: order([{ name: 'a', type: 'int', default: 0 }]) });
    assert.deepEqual((await sr('DELETE', '/subjects/gone/versions/1?permanent=true')).body.error_code, 40407);
    assert.deepEqual((await sr('DELETE', '/subjects/gone/versions/1')).body, 1);
    assert.deepEqual((await sr('GET', '/subjects/gone/versions')).body, [2]);
    assert.deepEqual((await sr('GET', '/subjects/gone/versions?deleted=true')).body, [1, 2]);
    assert.equal(
      (await sr('DELETE', '/subjects/gone/versions/1')).body.error_code,
      40402,
      'a soft-deleted version is not found without deleted=true',
    );
    assert.deepEqual((await sr('DELETE', '/subjects/gone/versions/1?permanent=true')).body, 1);
    assert.deepEqual((await sr('DELETE', '/subjects/gone?permanent=true')).body, {
      error_code: 40405,
      message: "Subject 'gone' was not deleted first before being permanently deleted",
    });
    assert.deepEqual((await sr('DELETE', '/subjects/gone')).body, [2]);
    assert.ok(!(await sr('GET', '/subjects')).body.includes('gone'));
    assert.ok((await sr('GET', '/subjects?deleted=true')).body.includes('gone'));
    assert.equal((await sr('DELETE', '/subjects/gone')).body.error_code, 40404);
    assert.deepEqual((await sr('DELETE', '/subjects/gone?permanent=true')).body, [2]);
    assert.ok(!(await sr('GET', '/subjects?deleted=true')).body.includes('gone'));
    // Versions are never reused after a soft delete.
    await sr('POST', '/subjects/again/versions', { schema: order() });
    await sr('DELETE', '/subjects/again/versions/1');
    assert.equal((await sr('POST', '/subjects/again/versions', { schema: order() })).body.version, 2);
  });

  test('references: Avro named types, JSON $ref and Protobuf imports; referencedby', async () => {
    const money = JSON.stringify({ type: 'record', name: 'Money', namespace: 'shop', fields: [{ name: 'cents', type: 'long' }] });
    await sr('POST', '/subjects/money/versions', { schema: money });
    const withRef = await sr('POST', '/subjects/invoice-value/versions', {
      schema: JSON.stringify({ type: 'record', name: 'Invoice', namespace: 'shop', fields: [{ name: 'total', type: 'shop.Money' }] }),
      references: [{ name: 'shop.Money', subject: 'money', version: 1 }],
    });
    assert.equal(withRef.status, 200, JSON.stringify(withRef.body));
    assert.deepEqual((await sr('GET', `/schemas/ids/${withRef.body.id}`)).body.references, [
      { name: 'shop.Money', subject: 'money', version: 1 },
    ]);
    assert.deepEqual((await sr('GET', '/subjects/money/versions/1/referencedby')).body, [withRef.body.id]);
    assert.equal((await sr('DELETE', '/subjects/money/versions/1')).body.error_code, 42206, 'a referenced version cannot be deleted');
    const unresolved = await sr('POST', '/subjects/broken/versions', {
      schema: JSON.stringify({ type: 'record', name: 'B', fields: [{ name: 't', type: 'shop.Money' }] }),
    });
    assert.equal(unresolved.body.error_code, 42201);

    await sr('POST', '/subjects/address.json/versions', {
      schemaType: 'JSON',
      schema: '{"type":"object","properties":{"city":{"type":"string"}}}',
    });
    const json = await sr('POST', '/subjects/customer-value/versions', {
      schemaType: 'JSON',
      schema: '{"type":"object","properties":{"address":{"$ref":"address.json"}}}',
      references: [{ name: 'address.json', subject: 'address.json', version: 1 }],
    });
    assert.equal(json.status, 200, JSON.stringify(json.body));
    assert.equal(json.body.schemaType, 'JSON');

    await sr('POST', '/subjects/money.proto/versions', {
      schemaType: 'PROTOBUF',
      schema: 'syntax = "proto3"; package shop; message Money { int64 cents = 1; }',
    });
    const proto = await sr('POST', '/subjects/payment-value/versions', {
      schemaType: 'PROTOBUF',
      schema:
        'syntax = "proto3"; package shop; import "money.proto"; import "google/protobuf/timestamp.proto";\n' +
        'message Payment { Money amount = 1; google.protobuf.Timestamp at = 2; }',
      references: [{ name: 'money.proto', subject: 'money.proto', version: 1 }],
    });
    assert.equal(proto.status, 200, JSON.stringify(proto.body));
    assert.deepEqual((await sr('GET', `/subjects/payment-value/versions/1`)).body.references, [
      { name: 'money.proto', subject: 'money.proto', version: 1 },
    ]);
  });

  test('modes: READONLY refuses writes, IMPORT takes explicit ids and versions', async () => {
    assert.deepEqual((await sr('GET', '/mode')).body, { mode: 'READWRITE' });
    await sr('PUT', '/mode/orders-value', { mode: 'READONLY' });
    const refused = await sr('POST', '/subjects/orders-value/versions', { schema: order([{ name: 'r', type: 'int', default: 1 }]) });
    assert.deepEqual([refused.status, refused.body.error_code], [422, 42205]);
    assert.deepEqual((await sr('DELETE', '/mode/orders-value')).body, { mode: 'READONLY' });
    assert.equal((await sr('GET', '/mode/orders-value')).body.error_code, 40409);

    assert.deepEqual(refused.body.message, 'Subject orders-value in context . is in read-only mode');
    const withId = await sr('POST', '/subjects/orders-value/versions', { schema: order([{ name: 'i', type: 'int', default: 1 }]), id: 77 });
    assert.deepEqual(withId.body, { error_code: 42205, message: 'Subject orders-value in context . is not in import mode' });
    assert.equal((await sr('PUT', '/mode', { mode: 'IMPORT' })).body.error_code, 42205, 'IMPORT needs an empty registry (or force)');
    assert.deepEqual((await sr('PUT', '/mode/imported', { mode: 'IMPORT' })).body, { mode: 'IMPORT' });
    const imported = await sr('POST', '/subjects/imported/versions', {
      schema: order([{ name: 'z', type: 'string' }]),
      id: 5000,
      version: 7,
    });
    assert.deepEqual([imported.body.id, imported.body.version], [5000, 7]);
    assert.equal((await sr('GET', '/schemas/ids/5000')).status, 200);
    const clash = await sr('POST', '/subjects/imported/versions', { schema: order([{ name: 'y', type: 'string' }]), id: 5000, version: 8 });
    assert.equal(clash.body.error_code, 42207);
    const noId = await sr('POST', '/subjects/imported/versions', { schema: order([{ name: 'y', type: 'string' }]) });
    assert.deepEqual(noId.body, { error_code: 42205, message: 'Subject imported in context . is not in read-write mode' });
    await sr('DELETE', '/mode/imported');
    const next = await sr('POST', '/subjects/fresh/versions', { schema: order([{ name: 'fresh', type: 'int' }]) });
    assert.equal(next.body.id, 5001, 'ids continue after the largest one');
  });

  test("the `_schemas` topic holds Confluent's records, read back by a Kafka consumer", async () => {
    const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: 'read-schemas' });
    await consumer.connect();
    await consumer.subscribe({ topic: '_schemas', fromBeginning: true });
    const seen: Array<{ key: string; value: string | null }> = [];
    const total = broker.core.topics.get('_schemas')!.partitions[0]!.log.highWatermark;
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push({ key: message.key!.toString(), value: message.value ? message.value.toString() : null });
          if (seen.length === total) resolve();
        },
      });
    });
    await consumer.disconnect();
    assert.equal(broker.core.topics.get('_schemas')!.configs['cleanup.policy'], 'compact');
    assert.deepEqual(JSON.parse(seen[0]!.key), { keytype: 'SCHEMA', subject: 'orders-value', version: 1, magic: 1 });
    assert.equal(seen[0]!.key, '{"keytype":"SCHEMA","subject":"orders-value","version":1,"magic":1}', "Confluent's key field order");
    assert.deepEqual(JSON.parse(seen[0]!.value!), { subject: 'orders-value', version: 1, id: 1, schema: order(), deleted: false });
    assert.ok(
      seen.some(
        (r) =>
          r.key === '{"keytype":"CONFIG","subject":"orders-value","magic":0}' &&
          r.value === '{"subject":"orders-value","compatibilityLevel":"NONE"}',
      ),
    );
    assert.ok(seen.some((r) => r.key === '{"keytype":"CONFIG","magic":0}' && r.value === '{"compatibilityLevel":"FULL_TRANSITIVE"}'));
    assert.ok(seen.some((r) => r.key === '{"keytype":"DELETE_SUBJECT","subject":"gone","magic":0}'));
    assert.ok(
      seen.some((r) => r.key === '{"keytype":"SCHEMA","subject":"gone","version":2,"magic":1}' && r.value === null),
      'hard delete: a tombstone',
    );
    assert.ok(
      seen.some(
        (r) => r.key === '{"keytype":"MODE","subject":"imported","magic":0}' && r.value === '{"subject":"imported","mode":"IMPORT"}',
      ),
    );
    const proto = seen.find((r) => r.key.includes('"payment-value"'))!;
    assert.equal(JSON.parse(proto.value!).schemaType, 'PROTOBUF');
  });
});

describe('Schema Registry state across restarts, seeding, reset and snapshots', () => {
  test('on disk: subjects, ids, configs and deletes survive a restart', async () => {
    const dir = tempDir();
    try {
      let broker = await startBroker({ dataDir: dir.path, schemaRegistry: { port: 0 } });
      let sr = client(() => broker.schemaRegistry!.url);
      await sr('POST', '/subjects/a/versions', { schema: order() });
      await sr('POST', '/subjects/a/versions', { schema: order([{ name: 'n', type: 'int', default: 0 }]) });
      await sr('POST', '/subjects/b/versions', { schemaType: 'JSON', schema: '{"type":"string"}' });
      await sr('DELETE', '/subjects/b');
      await sr('PUT', '/config/a', { compatibility: 'FORWARD' });
      await broker.stop();
      broker = await startBroker({ dataDir: dir.path, schemaRegistry: { port: 0 } });
      sr = client(() => broker.schemaRegistry!.url);
      assert.deepEqual((await sr('GET', '/subjects')).body, ['a']);
      assert.deepEqual((await sr('GET', '/subjects?deleted=true')).body, ['a', 'b']);
      assert.deepEqual((await sr('GET', '/subjects/a/versions')).body, [1, 2]);
      assert.deepEqual((await sr('GET', '/config/a')).body, { compatibilityLevel: 'FORWARD' });
      assert.equal((await sr('POST', '/subjects/c/versions', { schema: '"string"' })).body.id, 4, 'ids continue');
      assert.equal((await sr('POST', '/subjects/a/versions', { schema: order() })).body.id, 1, 'known schemas keep their ids');
      await broker.stop();
    } finally {
      dir.remove();
    }
  });

  test('startBroker({ schemas }) seeds subjects; reset() brings back only them; snapshot()/restore() cover the registry', async () => {
    const schema = { type: 'record', name: 'Order', fields: [{ name: 'id', type: 'long' }] };
    const broker = await startBroker({ schemas: { 'orders-value': { type: 'AVRO', schema } } });
    try {
      const sr = client(() => broker.schemaRegistry!.url);
      assert.deepEqual((await sr('GET', '/subjects/orders-value/versions/1')).body.schema, JSON.stringify(schema));
      await sr('POST', '/subjects/extra/versions', { schema: '"int"' });
      const snap = broker.snapshot();
      await broker.reset();
      assert.deepEqual((await sr('GET', '/subjects')).body, ['orders-value']);
      await broker.restore(snap);
      assert.deepEqual((await sr('GET', '/subjects')).body, ['extra', 'orders-value']);
    } finally {
      await broker.stop();
    }
    await assert.rejects(
      startBroker({ schemas: { s: { type: 'AVRO', schema: {}, refs: [] } as never } }),
      /unknown option 'schemas\.s\.refs'/,
    );
    await assert.rejects(startBroker({ schemaRegistry: { prot: 0 } as never }), /did you mean 'schemaRegistry\.port'/);
    await assert.rejects(startBroker({ schemaRegistry: false, schemas: {} }), /drop schemaRegistry: false or the schemas/);
  });
});

describe('kafkalite start and kafkalite schemas', () => {
  let cli: Awaited<ReturnType<typeof startCli>>;
  let url: string;
  const dir = tempDir();
  before(async () => {
    cli = await startCli(['--schema-registry-port', '0', '-d', dir.path]);
    url = /schema\.registry\.url=(\S+?)["\s]/.exec(cli.output())![1]!;
  });
  after(async () => {
    await cli.stop();
    dir.remove();
  });
  const verb = (args: string[]) =>
    run(process.execPath, [join(REPO_ROOT, 'dist', 'bin', 'kafkalite.js'), 'schemas', ...args, '--registry', url]);

  test('register, list, get, check', async () => {
    const v1 = join(dir.path, 'order.avsc');
    const v2 = join(dir.path, 'order2.avsc');
    writeFileSync(v1, order());
    writeFileSync(v2, order([{ name: 'must', type: 'string' }]));
    const reg = await verb(['register', 'orders-value', v1]);
    assert.equal(reg.stdout, 'Registered orders-value version 1 with schema id 1.\n', reg.stderr);
    const list = await verb(['list']);
    assert.match(list.stdout, /^SUBJECT\s+VERSIONS\s+LATEST\s+ID\s+TYPE\norders-value\s+1\s+1\s+1\s+AVRO\n$/);
    const get = await verb(['get', 'orders-value']);
    assert.deepEqual(JSON.parse(get.stdout), JSON.parse(order()));
    const check = await verb(['check', 'orders-value', v2]);
    assert.equal(check.code, 1);
    assert.match(check.stdout, /^Incompatible with orders-value:\n {2}\{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'/);
    const failed = await verb(['register', 'orders-value', v2]);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /^kafkalite schemas register: Schema being registered is incompatible .*\(error 40901\)\n$/s);
    const missing = await verb(['get', 'nope']);
    assert.equal(missing.stderr, "kafkalite schemas get: Subject 'nope' not found. (error 40401)\n");
  });
});

describe('kafkalite test-server --schema-registry', () => {
  test('a third env line, seeded schemas, the control API lists them and reset() brings back only them', async () => {
    const options = JSON.stringify({ schemas: { 'seeded-value': { type: 'JSON', schema: { type: 'object' } } } });
    const child = spawn(
      process.execPath,
      [join(REPO_ROOT, 'dist', 'bin', 'kafkalite.js'), 'test-server', '--print-env', '--schema-registry', '--options', options],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      let out = '';
      const lines = await new Promise<string[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no env lines in 20 s: ${out}`)), 20_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d;
          const ls = out.split('\n');
          if (ls.length >= 4) {
            clearTimeout(timer);
            resolve(ls.slice(0, 3));
          }
        });
      });
      assert.match(lines[0]!, /^KAFKA_BOOTSTRAP=/);
      assert.match(lines[1]!, /^KAFKALITE_CONTROL=http:/);
      assert.match(lines[2]!, /^KAFKALITE_SCHEMA_REGISTRY=http:\/\/127\.0\.0\.1:\d+$/);
      const control = lines[1]!.split('=')[1]!;
      const registry = lines[2]!.split('=')[1]!;
      const sr = client(() => registry);
      await sr('POST', '/subjects/extra/versions', { schema: '"string"' });
      const info = (await (await fetch(`${control}/control/v1/info`)).json()) as Json;
      assert.equal(info.schemaRegistry, registry);
      const listed = (await (await fetch(`${control}/control/v1/schemas`)).json()) as Json;
      assert.deepEqual(Object.keys(listed.subjects), ['extra', 'seeded-value']);
      assert.deepEqual(listed.subjects['seeded-value'], [{ version: 1, id: 1, schemaType: 'JSON', schema: '{"type":"object"}' }]);
      assert.equal((await fetch(`${control}/control/v1/reset`, { method: 'POST' })).status, 200);
      assert.deepEqual((await sr('GET', '/subjects')).body, ['seeded-value']);
    } finally {
      child.stdin.end();
      assert.equal(await exited, 0);
    }
  });
});
