// `kafkalite/vitest`: test fixtures for vitest (3.x), in two modes.
//
// Shared (with `globalSetup: ['kafkalite/vitest/setup']`): every worker uses the one broker the
// setup started; `kafka.control` drives it over HTTP. Parallel files share it, so give each
// test its own names (`kafka.unique('orders')`); `reset: true` resets it before each test,
// which is only safe when files do not run in parallel (fileParallelism: false).
//
//   import { kafkaTest as test } from 'kafkalite/vitest';
//   test('orders', async ({ kafka }) => { const topic = kafka.unique('orders'); ... kafka.bootstrap ... });
//
// Per worker: each worker starts its own in-process broker (worker-scoped fixture, stopped when
// the worker ends) and the fixture resets it before each test, so tests start empty.
//
//   import { workerKafkaTest as test } from 'kafkalite/vitest';
//   test('orders', async ({ kafka }) => { kafka.broker.faults.inject(...); ... });
//
// createKafkaTest({ mode, reset, broker }) makes either with other settings.

import { inject, test as baseTest, type TestAPI } from 'vitest';
import type { Broker, BrokerOptions } from '../index.js';
import { connectControl, type Control } from '../control/client.js';
import { ENV_BOOTSTRAP, ENV_CONTROL, uniqueName } from './env.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBootstrap: string;
    kafkaliteControl: string;
    kafkaliteOptions: BrokerOptions;
  }
}

export interface SharedKafka {
  /** bootstrap.servers of the shared broker. */
  readonly bootstrap: string;
  readonly controlUrl: string;
  /** The shared broker's control API (faults, nodes, reset, produce, waitFor, ...). */
  readonly control: Control;
  /** A name unique to this test, for topics and groups on a shared broker. */
  unique(base?: string): string;
}

export interface WorkerKafka {
  readonly bootstrap: string;
  /** This worker's in-process broker, with the whole test kit (faults, nodes, waitFor, ...). */
  readonly broker: Broker;
  unique(base?: string): string;
}

export interface SharedKafkaOptions {
  mode?: 'shared';
  /** control.reset() before each test (default false: parallel files share the broker). */
  reset?: boolean;
}

export interface WorkerKafkaOptions {
  mode: 'worker';
  /** broker.reset() before each test (default true). */
  reset?: boolean;
  /** startBroker() options for each worker's broker. */
  broker?: BrokerOptions;
}

function provided<K extends 'kafkaBootstrap' | 'kafkaliteControl'>(key: K, env: string): string {
  let value: string | undefined;
  try {
    value = inject(key);
  } catch {
    value = undefined;
  }
  value ??= process.env[env];
  if (!value)
    throw new Error(
      `kafkalite/vitest: no shared broker (${key}): add globalSetup: ['kafkalite/vitest/setup'] to the vitest config, or use workerKafkaTest`,
    );
  return value;
}

export function createKafkaTest(options?: SharedKafkaOptions): TestAPI<{ kafka: SharedKafka }>;
export function createKafkaTest(options: WorkerKafkaOptions): TestAPI<{ kafka: WorkerKafka }>;
export function createKafkaTest(
  options: SharedKafkaOptions | WorkerKafkaOptions = {},
): TestAPI<{ kafka: SharedKafka }> | TestAPI<{ kafka: WorkerKafka }> {
  if (options.mode === 'worker') {
    const reset = options.reset ?? true;
    const brokerOptions = options.broker ?? {};
    const extended = (baseTest as TestAPI).extend<{ kafka: WorkerKafka; kafkaliteWorkerBroker: Broker }>({
      kafkaliteWorkerBroker: [
        // biome-ignore lint/correctness/noEmptyPattern: Vitest reads a fixture's dependencies from this destructuring and rejects anything but a pattern
        async ({}, use: (b: Broker) => Promise<void>) => {
          const { startBroker } = await import('../index.js');
          const broker = await startBroker(brokerOptions);
          try {
            await use(broker);
          } finally {
            await broker.stop();
          }
        },
        { scope: 'worker' },
      ],
      kafka: async ({ kafkaliteWorkerBroker: broker }: { kafkaliteWorkerBroker: Broker }, use: (k: WorkerKafka) => Promise<void>) => {
        if (reset) await broker.reset();
        await use({ bootstrap: broker.bootstrap, broker, unique: uniqueName });
      },
    } as never);
    return extended as unknown as TestAPI<{ kafka: WorkerKafka }>;
  }
  const reset = options.reset ?? false;
  let control: Control | null = null;
  return (baseTest as TestAPI).extend<{ kafka: SharedKafka }>({
    // biome-ignore lint/correctness/noEmptyPattern: Vitest reads a fixture's dependencies from this destructuring and rejects anything but a pattern
    kafka: async ({}, use) => {
      const bootstrap = provided('kafkaBootstrap', ENV_BOOTSTRAP);
      const controlUrl = provided('kafkaliteControl', ENV_CONTROL);
      control ??= connectControl(controlUrl);
      if (reset) await control.reset();
      await use({ bootstrap, controlUrl, control, unique: uniqueName });
    },
  });
}

/** Shared mode: the broker from `kafkalite/vitest/setup`, no reset between tests. */
export const kafkaTest = createKafkaTest({ mode: 'shared' });
/** Per-worker mode: one in-process broker per worker, reset before each test. */
export const workerKafkaTest = createKafkaTest({ mode: 'worker', reset: true });

export { uniqueName } from './env.js';
