// The web console end to end in a real browser: Debian's chromium driven by playwright-core.
// kafkajs produces; the console lists the topic, shows the record's key and value (and the
// value pretty-printed as JSON), the live tail shows a record produced while the page is
// open, the produce form appends a record, and the groups pages show a kafkajs group's lag.
// A screenshot is kept as test-artifacts/console.png. `npm test` installs chromium when
// missing and run as root.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { chromium, type Browser as PwBrowser, type Page } from 'playwright-core';
import { startBroker, type Broker } from '../../broker/index.js';
import { REPO_ROOT, requireTool } from './helpers.js';
import { waitFor } from './http-helpers.js';
import { ShareFetch } from '../../protocol/messages/index.js';
import { SgMember, shareFetchBody } from './share-group-client.js';
import { WireClient } from './wire-client.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

describe('web console in chromium', () => {
  let broker: Broker;
  let kafka: Kafka;
  let browser: PwBrowser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    requireTool(() => existsSync(CHROMIUM), 'chromium (/usr/bin/chromium)');
    process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
    broker = await startBroker({ http: { port: 0 }, topics: { 'console-orders': 2, 'console-other': 1 } });
    kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, clientId: 'console-test' });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });
  after(async () => {
    await browser?.close();
    await broker?.stop();
  });

  test('topics, the message browser, the live tail and the produce form', async () => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'console-orders',
      messages: [{ partition: 0, key: 'order-42', value: '{"total":99.5,"items":["book"]}', headers: { origin: 'kafkajs' } }],
    });

    await page.goto(`${broker.http!.url}/`);
    const row = page.locator('#topics tr[data-topic="console-orders"]');
    await row.waitFor();
    assert.deepEqual(await row.locator('td').allInnerTexts(), [
      'console-orders',
      '2',
      '1',
      `${broker.core.topics.partition('console-orders', 0)!.log.size} B`,
    ]);
    assert.equal(await page.locator('#status').innerText(), 'ready');

    await row.locator('a').click();
    const record = page.locator('#records tr[data-offset="0"]');
    await record.waitFor();
    assert.equal(await record.locator('td.key').innerText(), 'order-42');
    assert.equal(await record.locator('td.value').innerText(), '{"total":99.5,"items":["book"]}');
    assert.equal(await record.locator('td.headers').innerText(), 'origin: kafkajs');

    await page.getByLabel('format').selectOption('json');
    await page.getByRole('button', { name: 'Load' }).click();
    await page.locator('#records td.value', { hasText: '"total": 99.5' }).waitFor();
    assert.equal(await page.locator('#records td.value').first().innerText(), '{\n  "total": 99.5,\n  "items": [\n    "book"\n  ]\n}');
    await page.getByLabel('format').selectOption('hex');
    await page.getByRole('button', { name: 'Load' }).click();
    await page.locator('#records td.key', { hasText: Buffer.from('order-42').toString('hex') }).waitFor();

    // The live tail is on when the page opens: a record produced now shows up without a reload.
    await page.locator('#tail-count', { hasText: 'live' }).waitFor();
    await producer.send({ topic: 'console-orders', messages: [{ partition: 1, key: 'order-43', value: 'arrived while watching' }] });
    const tailed = page.locator('#tail tr[data-partition="1"][data-offset="0"]');
    await tailed.waitFor();
    assert.equal(await tailed.locator('td.value').innerText(), 'arrived while watching');
    await page.locator('#tail-count', { hasText: '1 received' }).waitFor();

    // The produce form appends a record; the tail sees it and kafkajs-visible offsets move.
    await page.getByLabel('produce partition').fill('1');
    await page.getByLabel('produce key').fill('from-form');
    await page.getByLabel('produce value').fill('typed in the console');
    await page.getByLabel('produce headers').fill('via=console');
    await page.getByRole('button', { name: 'Produce', exact: true }).click();
    await page.locator('#produce-result', { hasText: 'partition 1 at offset 1' }).waitFor();
    await page.locator('#tail tr[data-partition="1"][data-offset="1"]').waitFor();
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets('console-orders');
    await admin.disconnect();
    assert.equal(offsets.find((o) => o.partition === 1)!.high, '2');
    await producer.disconnect();

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'console.png'), fullPage: true });
    assert.ok(existsSync(join(ARTIFACTS, 'console.png')));
  });

  test("a consumer group's members and lag", async () => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'console-other', messages: [{ value: 'a' }, { value: 'b' }] });
    const consumer = kafka.consumer({ groupId: 'console-group', heartbeatInterval: 500 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'console-other', fromBeginning: true });
    let seen = 0;
    await consumer.run({ autoCommitInterval: 50, eachMessage: async () => void seen++ });
    await waitFor(() => seen === 2, 'two consumed');
    const admin = kafka.admin();
    await admin.connect();
    await waitFor(
      async () => (await admin.fetchOffsets({ groupId: 'console-group', topics: ['console-other'] }))[0]!.partitions[0]!.offset === '2',
      'offset 2 committed',
    );
    await admin.disconnect();

    await page.goto(`${broker.http!.url}/#/group/console-group`);
    await page.locator('#members').waitFor();
    assert.match(await page.locator('#members').innerText(), /console-other: 0/);
    await consumer.disconnect();

    await producer.send({ topic: 'console-other', messages: [{ value: 'c' }, { value: 'd' }, { value: 'e' }] });
    await producer.disconnect();
    await page.goto(`${broker.http!.url}/#/groups`);
    const row = page.locator('#groups tr[data-group="console-group"]');
    await row.locator('td.lag', { hasText: '3' }).waitFor();
    await row.locator('a').click();
    const offsets = page.locator('#offsets tr[data-topic="console-other"][data-partition="0"]');
    await offsets.waitFor();
    assert.deepEqual((await offsets.locator('td').allInnerTexts()).slice(0, 5), ['console-other', '0', '2', '5', '3']);
    assert.match(await page.locator('#total-lag').innerText(), /total lag 3/);
    await page.screenshot({ path: join(ARTIFACTS, 'console-groups.png'), fullPage: true });
    assert.deepEqual(pageErrors, [], 'no script errors in the page');
  });

  test("a share group's type and share-partitions (start offset, records in flight)", async () => {
    // One share member over the raw wire client: joins, gets its assignment once
    // group.share.assignment.interval.ms has passed, initialises partition 0 with a first
    // ShareFetch (latest), then acquires the two records produced after it and acknowledges none.
    const client = await WireClient.connect(broker.bootstrap);
    try {
      const member = new SgMember(client, 'console-share', ['console-other']);
      await member.join();
      await waitFor(
        async () => {
          await member.heartbeat();
          return member.count() === 1;
        },
        'share assignment',
        10_000,
      );
      const topicId = broker.core.topics.get('console-other')!.id;
      const shareFetch = (epoch: number) => client.send(ShareFetch, 1, shareFetchBody('console-share', member.memberId, epoch, topicId));
      await shareFetch(0);
      const end = broker.core.topics.get('console-other')!.partitions[0]!.log.highWatermark;
      broker.produce('console-other', ['s1', 's2']);
      const acquired = (await shareFetch(1)).responses[0]!.partitions[0]!.acquiredRecords;
      assert.equal(
        acquired.reduce((n, r) => n + r.lastOffset - r.firstOffset + 1, 0),
        2,
      );

      await page.goto(`${broker.http!.url}/#/groups`);
      const row = page.locator('#groups tr[data-group="console-share"]');
      await row.waitFor();
      assert.equal(await row.locator('td.type').innerText(), 'share');
      await row.locator('a').click();
      const sp = page.locator('#share-partitions tr[data-topic="console-other"][data-partition="0"]');
      await sp.waitFor();
      assert.deepEqual(await sp.locator('td').allInnerTexts(), ['console-other', '0', String(end), '2']);
      assert.deepEqual(pageErrors, [], 'no script errors in the page');
    } finally {
      await client.close();
    }
  });
});
