// The shared broker's address in the environment, read by test workers. Light on purpose:
// workers of a shared broker load no broker code.
//
//   KAFKA_BOOTSTRAP=127.0.0.1:40915          the Kafka bootstrap address
//   KAFKALITE_CONTROL=http://127.0.0.1:40916 the control API (connectControl(url))
//   KAFKALITE_OPTIONS='{"nodes":3}'           startBroker() options for the shared broker (JSON)

import { connectControl, type Control } from '../control/client.js';

export const ENV_BOOTSTRAP = 'KAFKA_BOOTSTRAP';
export const ENV_CONTROL = 'KAFKALITE_CONTROL';
export const ENV_OPTIONS = 'KAFKALITE_OPTIONS';

/** The shared broker named by the environment (set by a preset's setup, or by `kafkalite test-server --print-env`). */
export function sharedFromEnv(env: NodeJS.ProcessEnv = process.env): { bootstrap: string; controlUrl: string; control: Control } {
  const bootstrap = env[ENV_BOOTSTRAP];
  const controlUrl = env[ENV_CONTROL];
  if (!bootstrap || !controlUrl) {
    throw new Error(
      `no shared kafkalite broker: ${ENV_BOOTSTRAP} and ${ENV_CONTROL} are not set ` +
        "(use the preset's global setup, node --import kafkalite/node-test/preload, or kafkalite test-server --print-env)",
    );
  }
  return { bootstrap, controlUrl, control: connectControl(controlUrl) };
}

let uniqueSeq = 0;
/** A name unique to this process and call, for topics and groups on a broker shared by parallel workers. */
export function uniqueName(base = 'topic'): string {
  return `${base}-${process.pid}-${Date.now().toString(36)}-${++uniqueSeq}`;
}
