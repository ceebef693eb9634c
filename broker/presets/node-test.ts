// `kafkalite/node-test`: node:test helpers.
//
//   import { test } from 'node:test';
//   import { useBroker, sharedBroker } from 'kafkalite/node-test';
//
//   test('orders', async (t) => {
//     const broker = await useBroker(t, { topics: { orders: 3 } });  // this test's own broker, stopped after it
//     ... broker.bootstrap, broker.faults.inject(...) ...
//   });
//
//   // with `node --import kafkalite/node-test/preload --test`: one broker for every test file
//   const { bootstrap, control } = sharedBroker();                    // from KAFKA_BOOTSTRAP / KAFKALITE_CONTROL

import type { Broker, BrokerOptions } from '../index.js';

/** What useBroker needs of a node:test context (TestContext or SuiteContext with after()). */
export interface AfterHook {
  after(fn: () => unknown): void;
}

/** Start an in-process broker for this test (or suite) and stop it when it ends. */
export async function useBroker(t: AfterHook, options: BrokerOptions = {}): Promise<Broker> {
  const { startBroker } = await import('../index.js');
  const broker = await startBroker(options);
  t.after(() => broker.stop());
  return broker;
}

export { sharedFromEnv as sharedBroker, uniqueName, ENV_BOOTSTRAP, ENV_CONTROL } from './env.js';
