// The Schema Registry in the web console, in Debian's chromium driven by playwright-core: the
// Schemas page lists subjects registered by @kafkajs/confluent-schema-registry, a subject's page
// diffs two versions and checks a candidate's compatibility, and the message browser decodes
// values in Confluent's wire format (Avro, JSON Schema, Protobuf) with their schema; the HTTP
// API behind it (format=schema) is checked directly too. A screenshot is kept as
// test-artifacts/console-schemas.png.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';
import { chromium, type Browser as PwBrowser, type Page } from 'playwright-core';
import { startBroker, type Broker } from '../../broker/index.js';
import { REPO_ROOT, requireTool } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

const v1 = {
  type: 'record',
  name: 'Order',
  namespace: 'shop',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'item', type: 'string' },
  ],
};
const v2 = { ...v1, fields: [...v1.fields, { name: 'note', type: ['null', 'string'], default: null }] };

describe('Schema Registry in the web console', () => {
  let broker: Broker;
  let browser: PwBrowser;
  let page: Page;
  const pageErrors: string[] = [];
  const ids: Record<string, number> = {};

  before(async () => {
    requireTool(() => existsSync(CHROMIUM), 'chromium (/usr/bin/chromium)');
    process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
    broker = await startBroker({ http: { port: 0 }, schemas: { 'orders-value': { type: 'AVRO', schema: v1 } }, topics: { orders: 1 } });
    const registry = new SchemaRegistry({ host: broker.schemaRegistry!.url });
    ids.v2 = (await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v2) }, { subject: 'orders-value' })).id;
    ids.json = (
      await registry.register(
        { type: SchemaType.JSON, schema: JSON.stringify({ type: 'object', properties: { name: { type: 'string' } } }) },
        { subject: 'people-value' },
      )
    ).id;
    ids.proto = (
      await registry.register(
        { type: SchemaType.PROTOBUF, schema: 'syntax = "proto3"; package shop; message Payment { string id = 1; int64 cents = 2; }' },
        { subject: 'payments-value' },
      )
    ).id;
    const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'orders',
      messages: [
        { value: await registry.encode(ids.v2!, { id: 7, item: 'lamp', note: 'fragile' }) },
        { value: await registry.encode(ids.json!, { name: 'Ada' }) },
        { value: await registry.encode(ids.proto!, { id: 'p1', cents: 250 }) },
        { value: 'plain text' },
      ],
    });
    await producer.disconnect();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });
  after(async () => {
    await browser?.close();
    await broker?.stop();
  });

  test('records with format=schema: values decoded with their registered schema', async () => {
    const res = await fetch(`${broker.http!.url}/api/v1/topics/orders/partitions/0/records?format=schema`);
    const { records } = (await res.json()) as { records: Array<{ value: string; valueSchemaId?: number }> };
    assert.deepEqual(
      records.map((r) => [r.valueSchemaId, r.valueSchemaId === undefined ? r.value : JSON.parse(r.value)]),
      [
        [ids.v2, { id: 7, item: 'lamp', note: { string: 'fragile' } }],
        [ids.json, { name: 'Ada' }],
        [ids.proto, { id: 'p1', cents: '250' }],
        [undefined, 'plain text'],
      ],
    );
    // The live tail decodes the same way.
    const abort = new AbortController();
    const tail = await fetch(`${broker.http!.url}/api/v1/topics/orders/tail?from=beginning&format=schema`, { signal: abort.signal });
    const reader = tail.body!.getReader();
    let sse = '';
    while (!sse.includes('event: records')) sse += Buffer.from((await reader.read()).value!).toString('utf8');
    while (!/event: records\ndata: .*\n\n/.test(sse)) sse += Buffer.from((await reader.read()).value!).toString('utf8');
    abort.abort();
    const tailed = JSON.parse(/event: records\ndata: (.*)\n\n/.exec(sse)![1]!) as {
      records: Array<{ value: string; valueSchemaId?: number }>;
    };
    assert.equal(tailed.records[0]!.valueSchemaId, ids.v2);
    assert.deepEqual(JSON.parse(tailed.records[0]!.value), { id: 7, item: 'lamp', note: { string: 'fragile' } });

    const off = await startBroker({ http: { port: 0 } });
    try {
      const r = await fetch(`${off.http!.url}/api/v1/schemas`);
      assert.equal(r.status, 404);
      assert.equal(((await r.json()) as { error: string }).error, 'SCHEMA_REGISTRY_DISABLED');
    } finally {
      await off.stop();
    }
  });

  test('the Schemas page, a version diff, a compatibility check, and the message browser decoding', async () => {
    await page.goto(`${broker.http!.url}/#/schemas`);
    const row = page.locator('#subjects tr', { hasText: 'orders-value' });
    await row.waitFor();
    assert.deepEqual(await row.locator('td').allInnerTexts(), ['orders-value', '2', '2', String(ids.v2), 'AVRO', 'BACKWARD']);
    assert.equal(await page.locator('#subjects tbody tr').count(), 3);

    await row.locator('a').click();
    await page.locator('#versions').waitFor();
    const added = page.locator('#diff span.add');
    await added.first().waitFor();
    assert.ok((await added.allInnerTexts()).join('').includes('"name": "note"'), 'the diff shows the added field');
    assert.equal(await page.locator('#diff span.del').count(), 0, 'v2 only adds lines');
    assert.match(String(await page.locator('#diff').textContent()), /^ {8}"name": "item",$/m, 'unchanged lines are kept');

    // A candidate with a required field is refused under BACKWARD; one with a default is accepted.
    const box = page.getByLabel('schema to check');
    await box.fill(JSON.stringify({ ...v2, fields: [...v2.fields, { name: 'must', type: 'int' }] }));
    await page.getByRole('button', { name: 'Check' }).click();
    await page.locator('#verdict', { hasText: 'Incompatible (BACKWARD)' }).waitFor();
    assert.match(String(await page.locator('#verdict pre').textContent()), /READER_FIELD_MISSING_DEFAULT_VALUE/);
    await box.fill(JSON.stringify({ ...v2, fields: [...v2.fields, { name: 'opt', type: 'int', default: 0 }] }));
    await page.getByRole('button', { name: 'Check' }).click();
    await page.locator('#verdict', { hasText: 'Compatible (BACKWARD)' }).waitFor();

    await page.goto(`${broker.http!.url}/#/topic/orders`);
    await page.locator('#records').waitFor();
    await page.getByLabel('format').selectOption('schema');
    await page.getByRole('button', { name: 'Load' }).click();
    const first = page.locator('#records tr[data-offset="0"] td.value');
    await first.locator('.pill', { hasText: `schema ${ids.v2}` }).waitFor();
    assert.match(String(await first.textContent()), /"item": "lamp"/);
    assert.match(String(await page.locator('#records tr[data-offset="2"] td.value').textContent()), /"cents": "250"/);
    mkdirSync(join(REPO_ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(REPO_ROOT, 'test-artifacts', 'console-schemas.png'), fullPage: true });
    assert.deepEqual(pageErrors, []);
  });
});
