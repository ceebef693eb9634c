// `kafkalite/jest`: jest's globalSetup / globalTeardown for one broker shared by every worker,
// the address passed through process.env (jest starts its workers after globalSetup, so they
// inherit KAFKA_BOOTSTRAP and KAFKALITE_CONTROL).
//
//   // jest.config.js
//   module.exports = { preset: 'kafkalite' };                        // kafkalite/jest-preset
//   // or: { globalSetup: 'kafkalite/jest/setup', globalTeardown: 'kafkalite/jest/teardown' }
//
//   // a test (CommonJS or ESM)
//   const { Kafka } = require('kafkajs');
//   const kafka = new Kafka({ brokers: [process.env.KAFKA_BOOTSTRAP] });
//   await fetch(`${process.env.KAFKALITE_CONTROL}/control/v1/faults`, { method: 'POST', ... });
//
// Broker options: KAFKALITE_OPTIONS (JSON) or `globals.kafkalite` in the jest config.
// Parallel workers share the broker: give each test file its own topic and group names.

import { startSharedBroker, type SharedBroker } from './shared.js';
import type { BrokerOptions } from '../index.js';

const KEY = Symbol.for('kafkalite.jest.shared');
type Holder = typeof globalThis & { [KEY]?: SharedBroker };

/** jest globalSetup(globalConfig, projectConfig): start the shared broker. */
export async function globalSetup(_globalConfig?: unknown, projectConfig?: { globals?: Record<string, unknown> }): Promise<void> {
  const holder = globalThis as Holder;
  if (holder[KEY]) return;
  const options = (projectConfig?.globals?.kafkalite ?? {}) as BrokerOptions;
  holder[KEY] = await startSharedBroker(options);
}

/** jest globalTeardown: stop it (globalSetup and globalTeardown run in the same process). */
export async function globalTeardown(): Promise<void> {
  const holder = globalThis as Holder;
  const shared = holder[KEY];
  delete holder[KEY];
  await shared?.stop();
}

export { sharedFromEnv, uniqueName, ENV_BOOTSTRAP, ENV_CONTROL } from './shared.js';
