// Preloaded (NODE_OPTIONS=--require) into jest's processes by presets-jest.test.ts: what still keeps
// each jest worker's event loop alive once jest tells it to end. On jest-worker's CHILD_MESSAGE_END
// (node_modules/jest-worker/build/workers/processChild.js) the worker drops its IPC listener and
// should then exit by itself; jest's pool SIGTERMs a worker that has not exited 500 ms of wall time
// later (FORCE_EXIT_DELAY, jest-worker/build/base/BaseWorkerPool.js) and prints "failed to exit
// gracefully", which a loaded machine also earns without any leak. This records the leak itself:
// one JSON line per worker, its module and process.getActiveResourcesInfo(), to $JEST_EXIT_OUT.
'use strict';

if (process.env.JEST_WORKER_ID && process.send && process.env.JEST_EXIT_OUT) {
  const { appendFileSync } = require('node:fs');
  // jest-worker/build/types.js
  const CHILD_MESSAGE_INITIALIZE = 0;
  const CHILD_MESSAGE_END = 2;
  let workerPath = '';
  const onMessage = (m) => {
    if (!Array.isArray(m)) return;
    if (m[0] === CHILD_MESSAGE_INITIALIZE) workerPath = String(m[2]);
    if (m[0] !== CHILD_MESSAGE_END) return;
    process.removeListener('message', onMessage);
    // Registered before jest's listener, this runs first: look once jest's has run (and removed its own).
    setImmediate(() => {
      const line = { pid: process.pid, worker: workerPath, active: process.getActiveResourcesInfo() };
      appendFileSync(process.env.JEST_EXIT_OUT, `${JSON.stringify(line)}\n`);
    });
  };
  process.on('message', onMessage);
}
