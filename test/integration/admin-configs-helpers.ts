// The shared set-up of admin-configs*.test.ts: one in-process broker (log.retention.hours=24 as a static
// broker value) with a kafkajs admin and a raw wire client, and DescribeConfigs / IncrementalAlterConfigs
// of one resource over the wire client.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { Kafka, logLevel, type Admin, type ConfigResourceTypes } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { DescribeConfigs, IncrementalAlterConfigs } from '../../protocol/messages/index.js';
import { WireClient } from './wire-client.js';

export const TOPIC = 2;
export const BROKER = 4;
export const BROKER_LOGGER = 8;
export const SET = 0;
export const DELETE = 1;
export const APPEND = 2;
export const SUBTRACT = 3;

export type ResourceType = ConfigResourceTypes;

/** The parameters of a helper below after its first, the wire client. */
// biome-ignore lint/suspicious/noExplicitAny: any function's parameters
export type AfterWire<F extends (...a: any[]) => unknown> = Parameters<F> extends [WireClient, ...infer R] ? R : never;

export interface AdminConfigsBroker {
  broker: Broker;
  kafka: Kafka;
  admin: Admin;
  wire: WireClient;
}

export async function openAdminConfigs(): Promise<AdminConfigsBroker> {
  const broker = await startBroker({ config: { 'log.retention.hours': 24 } });
  const kafka = new Kafka({ clientId: 'admin-configs', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  const admin = kafka.admin();
  await admin.connect();
  const wire = await WireClient.connect(broker.bootstrap);
  return { broker, kafka, admin, wire };
}

export async function closeAdminConfigs(b: Partial<AdminConfigsBroker>): Promise<void> {
  await b.admin?.disconnect();
  await b.wire?.close();
  await b.broker?.stop();
}

/** One resource through DescribeConfigs at `version`, as a map by name. */
export async function describeOne(
  wire: WireClient,
  version: number,
  resourceType: number,
  resourceName: string,
  keys: string[] | null = null,
  extra = {},
) {
  const res = await wire.send(DescribeConfigs, version, {
    resources: [{ resourceType, resourceName, configurationKeys: keys }],
    includeSynonyms: true,
    ...extra,
  });
  assert.equal(res.results.length, 1);
  const r = res.results[0]!;
  return { ...r, byName: new Map(r.configs.map((c) => [c.name, c])) };
}

export async function incremental(
  wire: WireClient,
  resourceType: number,
  resourceName: string,
  configs: Array<{ name: string; configOperation: number; value: string | null }>,
  validateOnly = false,
) {
  const res = await wire.send(IncrementalAlterConfigs, 1, { resources: [{ resourceType, resourceName, configs }], validateOnly });
  return res.responses[0]!;
}

/**
 * The suite set-up of admin-configs*.test.ts: opens the broker and clients before the suite's tests
 * (handing them to `set`, which assigns the suite's variables) and closes them after; returns
 * describeOne and incremental on the suite's wire client.
 */
export function useAdminConfigs(set: (b: AdminConfigsBroker) => void) {
  let opened: Partial<AdminConfigsBroker> = {};
  before(async () => {
    opened = await openAdminConfigs();
    set(opened as AdminConfigsBroker);
  });
  after(() => closeAdminConfigs(opened));
  return {
    describeOne: (...a: AfterWire<typeof describeOne>) => describeOne(opened.wire!, ...a),
    incremental: (...a: AfterWire<typeof incremental>) => incremental(opened.wire!, ...a),
  };
}
