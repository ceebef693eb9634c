// What the runner presets' setups share: start one broker with the control API for a whole
// test run (globalSetup of vitest and jest) and publish its address in the environment
// (env.ts), which workers started afterwards inherit.

import { startBroker, type Broker, type BrokerOptions } from '../index.js';
import { type ControlServer, startControlServer } from '../control/index.js';
import { checkBrokerOptions } from '../options.js';
import { ENV_BOOTSTRAP, ENV_CONTROL, ENV_OPTIONS } from './env.js';

export { ENV_BOOTSTRAP, ENV_CONTROL, ENV_OPTIONS, sharedFromEnv, uniqueName } from './env.js';

/** A broker with its control server, for a whole test run. */
export interface SharedBroker {
  readonly broker: Broker;
  readonly bootstrap: string;
  readonly controlUrl: string;
  stop(): Promise<void>;
}

/** startBroker() options from KAFKALITE_OPTIONS (JSON), merged under `options`. */
export function optionsFromEnv(options: BrokerOptions = {}, env: NodeJS.ProcessEnv = process.env): BrokerOptions {
  const text = env[ENV_OPTIONS];
  if (!text) return options;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${ENV_OPTIONS} is not JSON: ${(err as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error(`${ENV_OPTIONS} must be a JSON object of startBroker() options`);
  checkBrokerOptions(parsed, ENV_OPTIONS);
  return { ...parsed, ...options };
}

/** Start a broker and its control server; sets KAFKA_BOOTSTRAP and KAFKALITE_CONTROL in this process's env (so workers started later inherit them). */
export async function startSharedBroker(options: BrokerOptions = {}): Promise<SharedBroker> {
  const broker = await startBroker(optionsFromEnv(options));
  let control: ControlServer;
  try {
    control = await startControlServer(broker);
  } catch (err) {
    await broker.stop();
    throw err;
  }
  process.env[ENV_BOOTSTRAP] = broker.bootstrap;
  process.env[ENV_CONTROL] = control.url;
  let stopping: Promise<void> | null = null;
  return {
    broker,
    bootstrap: broker.bootstrap,
    controlUrl: control.url,
    stop: () =>
      (stopping ??= (async () => {
        await control.close();
        await broker.stop();
      })()),
  };
}
