// `kafkalite/vitest/setup`: vitest globalSetup. Starts one broker with the control API for the
// whole run, provides its address and control URL to every worker (inject('kafkaBootstrap'),
// inject('kafkaliteControl'); also KAFKA_BOOTSTRAP / KAFKALITE_CONTROL in the env), and stops
// it when the run ends.
//
//   // vitest.config.ts
//   export default defineConfig({ test: { globalSetup: ['kafkalite/vitest/setup'], provide: { kafkaliteOptions: { nodes: 3 } } } });
//
// Broker options: `provide.kafkaliteOptions` in the config, else KAFKALITE_OPTIONS (JSON).

import type { BrokerOptions } from '../index.js';
import { startSharedBroker } from './shared.js';

/** What vitest hands a globalSetup (TestProject), as far as kafkalite needs it. */
export interface GlobalSetupContext {
  provide(key: string, value: unknown): void;
  config?: { provide?: Record<string, unknown> };
}

export default async function setup(project: GlobalSetupContext): Promise<() => Promise<void>> {
  const options = (project.config?.provide?.kafkaliteOptions ?? {}) as BrokerOptions;
  const shared = await startSharedBroker(options);
  project.provide('kafkaBootstrap', shared.bootstrap);
  project.provide('kafkaliteControl', shared.controlUrl);
  return () => shared.stop();
}
