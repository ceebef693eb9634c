// kafkalite's public API: startBroker() starts a broker in this process and returns a handle.
//
//   const broker = await startBroker();            // memory store, port 0, silent
//   broker.bootstrap                               // '127.0.0.1:41234'
//   await broker.stop();                           // frees every socket, timer and file
//
// startBroker() itself is broker/start.ts; the CLI imports that file, so the parts only this API
// offers (MemoryStore and its memory file system) stay out of its start (issue 15, lean start).

export { startBroker } from './start.js';
export type { Broker, BrokerOptions, SchemaRegistryOption } from './broker-api.js';
export { VirtualClock, SystemClock, type Clock } from '../storage/clock.js';
export { MemoryStore } from '../storage/memory-store.js';
export { loadConfig, BrokerConfig } from '../config/index.js';
