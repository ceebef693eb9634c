// `kafkalite/control`: the control API's client (connectControl) and server (startControlServer).
// The client module loads nothing but fetch; the server loads fastify only when started.

export {
  connectControl,
  ControlApiError,
  type Control,
  type ControlConnectOptions,
  type ControlInfo,
  type NodeStatus,
  type PartitionStatus,
  type RecordedRequest,
  type RecordedRequestFilter,
  type FaultRuleJson,
  type FaultStatus,
  type RecordJson,
} from './client.js';
export type { ControlServer, ControlServerOptions } from './server.js';

import type { Broker } from '../index.js';
import type { ControlServer, ControlServerOptions } from './server.js';

/** Serve `broker`'s test kit as the HTTP control API (see server.ts). */
export async function startControlServer(broker: Broker, options: ControlServerOptions = {}): Promise<ControlServer> {
  return (await import('./server.js')).startControlServer(broker, options);
}
