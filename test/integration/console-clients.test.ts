// The console's Clients view (broker/console/clients.js) in Debian's chromium driven by
// playwright-core: a client that pushed metrics over the wire (KIP-714) is listed with its
// client id and software, its page shows every pushed metric with attributes and values, and the
// filter narrows the table.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser as PwBrowser, type Page } from 'playwright-core';
import { startBroker, type Broker } from '../../broker/index.js';
import { encodeMetrics } from '../../broker/telemetry/otlp.js';
import { ApiVersions, GetTelemetrySubscriptions, PushTelemetry } from '../../protocol/messages/index.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import { requireTool } from './helpers.js';
import { WireClient } from './wire-client.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

describe('console Clients view in chromium', () => {
  let broker: Broker;
  let browser: PwBrowser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    requireTool(() => existsSync(CHROMIUM), 'chromium (/usr/bin/chromium)');
    broker = await startBroker({ http: { port: 0 }, clock: 'virtual' });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });
  after(async () => {
    await browser?.close();
    await broker?.stop();
  });

  test('a pushing client is listed; its page shows its metrics and filters them', async () => {
    const c = await WireClient.connect(broker.bootstrap);
    await c.send(ApiVersions, 3, { clientSoftwareName: 'console-sw', clientSoftwareVersion: '1.2.3' });
    const sub = await c.send(GetTelemetrySubscriptions, 0, { clientInstanceId: ZERO_UUID }, { clientId: 'console-producer' });
    const metrics = encodeMetrics({
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                { name: 'org.apache.kafka.producer.record.queue.time.avg', gauge: { dataPoints: [{ asDouble: 3.25 }] } },
                {
                  name: 'org.apache.kafka.producer.node.request.latency.max',
                  gauge: { dataPoints: [{ asDouble: 12, attributes: [{ key: 'node.id', value: { stringValue: '1' } }] }] },
                },
              ],
            },
          ],
        },
      ],
    });
    const pushed = await c.send(
      PushTelemetry,
      0,
      { clientInstanceId: sub.clientInstanceId, subscriptionId: sub.subscriptionId, terminating: false, compressionType: 0, metrics },
      { clientId: 'console-producer' },
    );
    assert.equal(pushed.errorCode, 0);
    await c.close();

    await page.goto(`${broker.http!.url}/#/clients`);
    const row = page.locator(`#clients tr[data-client="${sub.clientInstanceId}"]`);
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    assert.match(text, /console-producer/);
    assert.match(text, /console-sw 1\.2\.3/);
    await row.locator('a').click();
    await page.locator('#metrics').waitFor();
    const latency = page.locator('#metrics tr[data-metric="org.apache.kafka.producer.node.request.latency.max"]');
    assert.match((await latency.textContent()) ?? '', /node\.id=1[\s\S]*gauge[\s\S]*12/);
    assert.equal(await page.locator('#metrics tbody tr').count(), 2);
    await page.fill('input[aria-label="filter metrics"]', 'queue');
    assert.equal(await page.locator('#metrics tbody tr').count(), 1);
    assert.match((await page.locator('#metrics tbody tr').textContent()) ?? '', /3\.25/);
    assert.ok(await page.locator('nav a[data-nav="clients"].active').count(), 'the Clients tab is active');
    assert.deepEqual(pageErrors, []);
  });
});
