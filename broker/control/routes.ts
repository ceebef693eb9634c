// The control API's routes, all under /control/v1 (OpenAPI tag 'control'). Each maps to one
// test kit member through ControlState (kit.ts); answers are JSON, errors `{error, message}`.
//
//   GET    /info                          bootstrap, brokers, control URL, Schema Registry URL, clock, kit members present
//   GET    /schemas                       the Schema Registry's subjects and versions (broker/schema-registry/)
//   POST   /reset                         broker.reset(): topics, groups, faults, recordings gone
//   POST   /snapshot  -> {id}             POST /restore {id}
//   POST   /faults {rule} -> status       GET /faults, GET|DELETE /faults/{id}, DELETE /faults
//   POST   /faults/disk {op, error, path, times} -> status   broker.faults.disk (a broker on the memory file system)
//   POST   /faults/power-cut -> {ok, bootstrap}   broker.faults.powerCut(), then the broker restarted on the same
//                                                 ports from what survived (test-server --memory-disk: hooks.powerCut)
//   POST   /nodes/{id}/down|up            PUT /nodes/{id}/rtt {ms}
//   POST   /nodes/{id}/lag {ms}           POST /nodes/{id}/pause|resume (followers on the node, broker/replication/)
//   POST   /partitions/{topic}/{p}/leader {node}
//   PUT    /coordinators {type, key, node}
//   POST   /records {topic, records[]}    -> [{partition, offset}]
//   POST   /wait/{what} {args[], timeoutMs}  broker.waitFor[what](...args); 408 on timeout
//   POST   /requests/record               GET /requests?api=&clientId=&topic=&node=&limit=, DELETE /requests
//   POST   /clock/advance {by}            virtual clock only (409 otherwise)
//   GET    /clients                       client telemetry: each client's latest metrics push

import type { SchemaRegistryServer } from '../schema-registry/server.js';
import type { FastifyInstance } from 'fastify';
import type { Broker } from '../index.js';
import { ProduceFailure } from '../http/records.js';
import { errorName } from '../../protocol/errors.js';
import { VirtualClock } from '../../storage/clock.js';
import { ControlError, ControlState, has, type DiskFaultJson, type FaultRuleJson, type RecordJson } from './kit.js';

export const CONTROL_PREFIX = '/control/v1';

const ERROR = { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } } } as const;
const OK = { type: 'object', properties: { ok: { type: 'boolean' } } } as const;
const NODE_PARAMS = { type: 'object', required: ['node'], properties: { node: { type: 'integer' } } } as const;
const FAULT_RULE = {
  type: 'object',
  description:
    'A fault: requests of `api` matching `match` get `error`, a delay, a disconnect or no response, `times` times (default: until removed)',
  properties: {
    api: { anyOf: [{ type: 'string' }, { type: 'integer' }], description: "API name ('Produce') or key" },
    match: {
      type: 'object',
      properties: {
        topic: { type: 'string' },
        partition: { type: 'integer' },
        clientId: { type: 'string', description: 'a regular expression source' },
        node: { type: 'integer' },
      },
    },
    error: { anyOf: [{ type: 'string' }, { type: 'integer' }], description: "Kafka error name ('NOT_LEADER_OR_FOLLOWER') or code" },
    times: { type: 'integer', minimum: 1, nullable: true, description: 'default 1; null: until removed' },
    response: { type: 'object', additionalProperties: true },
    delayMs: { type: 'integer', minimum: 0 },
    disconnect: { type: 'boolean' },
    noResponse: { type: 'boolean' },
  },
} as const;
const DISK_FAULT = {
  type: 'object',
  description:
    'A disk fault under a broker on the memory file system (test-server --memory-disk): matching file operations fail with `error` (or write short), `times` times; the log directory goes offline and its partitions answer KAFKA_STORAGE_ERROR',
  properties: {
    op: {
      anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
      description: "'write' (default, appends too), 'fsync', 'open', 'truncate', 'rename', 'read'...",
    },
    error: { type: 'string', enum: ['EIO', 'ENOSPC', 'EFBIG'] },
    shortWrite: { type: 'integer', minimum: 0, description: 'instead of an error: only this many bytes of the write reach the file' },
    path: { type: 'string', description: "only paths containing this string ('orders-0/')" },
    times: { type: 'integer', minimum: 1, nullable: true, description: 'default 1; null: until removed' },
  },
} as const;
const FAULT_STATUS = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    api: { type: 'string' },
    hits: { type: 'integer', description: 'requests the rule affected' },
    times: { type: 'integer', nullable: true, description: 'null: until removed' },
    fired: { type: 'boolean', description: 'hit `times` times (times null: at least once)' },
    active: { type: 'boolean' },
  },
} as const;
const PARTITION_STATUS = {
  type: 'object',
  properties: {
    topic: { type: 'string' },
    partition: { type: 'integer' },
    leader: { type: 'integer' },
    leaderEpoch: { type: 'integer' },
    logStartOffset: { type: 'integer' },
    logEndOffset: { type: 'integer' },
    highWatermark: { type: 'integer' },
    replicas: { type: 'array', items: { type: 'integer' } },
    isr: { type: 'array', items: { type: 'integer' } },
  },
} as const;
const RECORD = {
  type: 'object',
  properties: {
    key: { type: 'string', nullable: true },
    value: { type: 'string', nullable: true },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    partition: { type: 'integer' },
    timestamp: { type: 'integer' },
  },
} as const;

function schema(summary: string, extra: Record<string, unknown> = {}, response: unknown = OK) {
  return { schema: { tags: ['control'], summary, ...extra, response: { 200: response, '4xx': ERROR, '5xx': ERROR } } };
}

/** The broker's Schema Registry (broker/schema-registry/), when it is on. */
function registryOf(broker: unknown): SchemaRegistryServer | null {
  return (broker as { schemaRegistry?: SchemaRegistryServer | null }).schemaRegistry ?? null;
}

/** What only the control server's host can do (test-server: bin/commands/test-server.ts). */
export interface ControlHooks {
  /** Cut the power (drop everything not fsynced) and restart the broker on the same ports; its new bootstrap. */
  powerCut?: () => Promise<{ bootstrap: string }>;
}

export function registerControlRoutes(
  app: FastifyInstance,
  broker: Broker,
  controlUrl: () => string,
  hooks: ControlHooks = {},
): ControlState {
  const state = new ControlState(broker);
  const p = CONTROL_PREFIX;

  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown; code?: string }, _req, reply) => {
    if (err instanceof ControlError) return void reply.status(err.statusCode).send({ error: err.code, message: err.message });
    if (err instanceof ProduceFailure) return void reply.status(400).send({ error: errorName(err.errorCode), message: err.message });
    const status = err.statusCode ?? 400;
    void reply
      .status(status)
      .send({ error: err.validation ? 'INVALID_REQUEST' : status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST', message: err.message });
  });

  app.get(
    `${p}/info`,
    schema('Where the broker is and what this control API can do', {}, { type: 'object', additionalProperties: true }),
    async () => ({
      bootstrap: broker.bootstrap,
      brokers: broker.brokers,
      nodes: broker.core.cluster.nodes.map((n) => ({ nodeId: n.nodeId, host: n.host, port: n.port, up: n.up })),
      clusterId: broker.clusterId,
      control: controlUrl(),
      schemaRegistry: registryOf(broker)?.url ?? null,
      clock: broker.clock instanceof VirtualClock ? 'virtual' : 'system',
      now: broker.clock.now(),
      kit: Object.fromEntries(
        [
          'faults.inject',
          'faults.disk',
          'requests.record',
          'nodes.down',
          'nodes.setRtt',
          'nodes.lag',
          'partitions.moveLeader',
          'coordinators.set',
          'reset',
          'snapshot',
          'restore',
          'produce',
          'waitFor',
        ].map((m) => [m, m === 'waitFor' ? typeof (broker as unknown as Record<string, unknown>).waitFor === 'object' : has(broker, m)]),
      ),
    }),
  );

  app.get(
    `${p}/schemas`,
    schema(
      "The Schema Registry's subjects and their live versions (null url: the registry is off)",
      {},
      { type: 'object', additionalProperties: true },
    ),
    async () => {
      const registry = registryOf(broker);
      if (!registry) return { url: null, subjects: {} };
      const { store } = registry;
      return {
        url: registry.url,
        subjects: Object.fromEntries(
          store
            .listSubjects()
            .map((s) => [s, store.versions(s).map((v) => ({ version: v.version, id: v.id, schemaType: v.schemaType, schema: v.schema }))]),
        ),
      };
    },
  );

  app.post(`${p}/reset`, schema('Reset the broker to empty: topics, groups, faults, recorded requests'), async () => {
    await state.reset();
    return { ok: true };
  });
  app.post(
    `${p}/snapshot`,
    schema('Snapshot the broker state', {}, { type: 'object', properties: { id: { type: 'string' } } }),
    async () => ({ id: await state.snapshot() }),
  );
  app.post<{ Body: { id: string } }>(
    `${p}/restore`,
    schema('Restore a snapshot', { body: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } }),
    async (req) => {
      await state.restore(req.body.id);
      return { ok: true };
    },
  );

  app.post<{ Body: FaultRuleJson }>(`${p}/faults`, schema('Inject a fault', { body: FAULT_RULE }, FAULT_STATUS), async (req) =>
    state.injectFault(req.body),
  );
  app.post<{ Body: DiskFaultJson }>(`${p}/faults/disk`, schema('Inject a disk fault', { body: DISK_FAULT }, FAULT_STATUS), async (req) =>
    state.injectDiskFault(req.body),
  );
  app.post(
    `${p}/faults/power-cut`,
    schema(
      'Cut the power: every file operation fails, the broker stops, everything not fsynced is dropped; then the broker restarts on the same ports from what survived (test-server --memory-disk)',
      {},
      { type: 'object', properties: { ok: { type: 'boolean' }, bootstrap: { type: 'string' } } },
    ),
    async () => {
      if (!hooks.powerCut) {
        throw new ControlError(
          501,
          'NOT_AVAILABLE',
          'a power cut needs a broker the control server can restart: kafkalite test-server --memory-disk',
        );
      }
      return { ok: true, ...(await hooks.powerCut()) };
    },
  );
  app.get(`${p}/faults`, schema('Injected faults', {}, { type: 'array', items: FAULT_STATUS }), async () => state.listFaults());
  app.get<{ Params: { id: string } }>(
    `${p}/faults/:id`,
    schema('A fault: hits (matched requests) and fired (applied)', {}, FAULT_STATUS),
    async (req) => state.faultStatus(req.params.id),
  );
  app.post<{ Params: { id: string }; Body: { timeoutMs?: number } | undefined }>(
    `${p}/faults/:id/wait`,
    schema(
      'Wait until the fault has fired; 408 REQUEST_TIMEOUT after timeoutMs (default 10000)',
      { body: { type: 'object', nullable: true, properties: { timeoutMs: { type: 'integer', minimum: 1 } } } },
      FAULT_STATUS,
    ),
    async (req) => state.waitFired(req.params.id, req.body?.timeoutMs ?? 10_000),
  );
  app.delete<{ Params: { id: string } }>(`${p}/faults/:id`, schema('Remove a fault'), async (req) => {
    state.removeFault(req.params.id);
    return { ok: true };
  });
  app.delete(`${p}/faults`, schema('Remove every fault'), async () => {
    state.clearFaults();
    return { ok: true };
  });

  app.get(
    `${p}/clients`,
    schema(
      'Clients that pushed metrics (KIP-714) recently, each with its latest push',
      {},
      { type: 'array', items: { type: 'object', additionalProperties: true } },
    ),
    async () => state.clients(),
  );

  app.get(
    `${p}/nodes`,
    schema('Nodes: id, address, up, added round-trip time', {}, { type: 'array', items: { type: 'object', additionalProperties: true } }),
    async () => state.listNodes(),
  );
  app.post<{ Params: { node: number }; Body: { failover?: boolean } | undefined }>(
    `${p}/nodes/:node/down`,
    schema(
      'Take a node down: its listener drops clients and refuses new ones; ' +
        "with failover its partitions' leaders move to live nodes, else they are offline until up",
      { params: NODE_PARAMS, body: { type: 'object', nullable: true, properties: { failover: { type: 'boolean' } } } },
      { type: 'object', additionalProperties: true },
    ),
    async (req) => state.nodeDown(req.params.node, req.body ?? {}),
  );
  app.post<{ Params: { node: number }; Body: { failback?: boolean } | undefined }>(
    `${p}/nodes/:node/up`,
    schema(
      'Bring a node back; with failback its preferred leaderships return',
      { params: NODE_PARAMS, body: { type: 'object', nullable: true, properties: { failback: { type: 'boolean' } } } },
      { type: 'object', additionalProperties: true },
    ),
    async (req) => state.nodeUp(req.params.node, req.body ?? {}),
  );
  app.put<{ Params: { node: number }; Body: { ms: number } }>(
    `${p}/nodes/:node/rtt`,
    schema("Delay every response of a node's listener", {
      params: NODE_PARAMS,
      body: { type: 'object', required: ['ms'], properties: { ms: { type: 'integer', minimum: 0 } } },
    }),
    async (req) => {
      await state.setRtt(req.params.node, req.body.ms);
      return { ok: true };
    },
  );
  app.post<{ Params: { node: number }; Body: { ms: number } }>(
    `${p}/nodes/:node/lag`,
    schema('Followers on a node replicate ms after each append (0: at once); past replica.lag.time.max.ms they leave the ISR', {
      params: NODE_PARAMS,
      body: { type: 'object', required: ['ms'], properties: { ms: { type: 'integer', minimum: 0 } } },
    }),
    async (req) => {
      await state.follower('lag', req.params.node, req.body.ms);
      return { ok: true };
    },
  );
  for (const action of ['pause', 'resume'] as const) {
    app.post<{ Params: { node: number } }>(
      `${p}/nodes/:node/${action}`,
      schema(action === 'pause' ? 'Followers on a node stop fetching (the node serves clients on)' : 'Followers on a node fetch again', {
        params: NODE_PARAMS,
      }),
      async (req) => {
        await state.follower(action, req.params.node);
        return { ok: true };
      },
    );
  }
  app.post<{ Params: { topic: string; partition: number }; Body: { node: number } }>(
    `${p}/partitions/:topic/:partition/leader`,
    schema(
      'Move a partition leader to a node (leader epoch bumps)',
      {
        params: {
          type: 'object',
          required: ['topic', 'partition'],
          properties: { topic: { type: 'string' }, partition: { type: 'integer' } },
        },
        body: { type: 'object', required: ['node'], properties: { node: { type: 'integer' } } },
      },
      PARTITION_STATUS,
    ),
    async (req) => state.moveLeader(req.params.topic, req.params.partition, req.body.node),
  );
  app.get<{ Params: { topic: string } }>(
    `${p}/partitions/:topic`,
    schema(
      'Partitions of a topic: leader, leader epoch, log start and end offsets, high watermark, replicas and ISR',
      { params: { type: 'object', required: ['topic'], properties: { topic: { type: 'string' } } } },
      { type: 'array', items: PARTITION_STATUS },
    ),
    async (req) => state.describePartitions(req.params.topic),
  );
  app.put<{ Body: { type: 'group' | 'transaction'; key: string; node: number | null } }>(
    `${p}/coordinators`,
    schema(
      'Pin (node) or unpin (null) the coordinator of a group or transactional id; answers the node FindCoordinator names now',
      {
        body: {
          type: 'object',
          required: ['type', 'key', 'node'],
          properties: {
            type: { type: 'string', enum: ['group', 'transaction'] },
            key: { type: 'string' },
            node: { type: 'integer', nullable: true },
          },
        },
      },
      { type: 'object', properties: { node: { type: 'integer', nullable: true } } },
    ),
    async (req) => ({ node: await state.setCoordinator(req.body.type, req.body.key, req.body.node) }),
  );

  app.post<{ Body: { topic: string; records: RecordJson[] } }>(
    `${p}/records`,
    schema(
      'Produce records (UTF-8 keys and values); the topic is auto-created when allowed',
      {
        body: {
          type: 'object',
          required: ['topic', 'records'],
          properties: { topic: { type: 'string' }, records: { type: 'array', items: RECORD } },
        },
      },
      { type: 'array', items: { type: 'object', properties: { partition: { type: 'integer' }, offset: { type: 'integer' } } } },
    ),
    async (req) => state.produce(req.body.topic, req.body.records),
  );

  app.post<{ Params: { what: string }; Body: { args?: unknown[]; timeoutMs?: number } | undefined }>(
    `${p}/wait/:what`,
    schema(
      'Wait for a condition: broker.waitFor[what](...args); 408 REQUEST_TIMEOUT after timeoutMs (default 10000)',
      {
        body: {
          type: 'object',
          nullable: true,
          properties: { args: { type: 'array' }, timeoutMs: { type: 'integer', minimum: 1, maximum: 600000 } },
        },
      },
      { type: 'object', properties: { result: {} } },
    ),
    async (req) => ({ result: await state.waitFor(req.params.what, req.body?.args ?? [], req.body?.timeoutMs ?? 10_000) }),
  );

  app.post<{ Body: { api?: string | string[]; clientId?: string; topic?: string; node?: number } | undefined }>(
    `${p}/requests/record`,
    schema(
      'Start recording requests (optionally only those matching a filter); GET /requests reads the latest recording',
      {
        body: {
          type: 'object',
          nullable: true,
          properties: {
            api: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
            clientId: { type: 'string', description: 'a regular expression source' },
            topic: { type: 'string' },
            node: { type: 'integer' },
          },
        },
      },
      { type: 'object', properties: { id: { type: 'string' } } },
    ),
    async (req) => ({ id: state.recordRequests(req.body ?? {}) }),
  );
  app.get<{
    Querystring: { recording?: string; api?: string; clientId?: string; topic?: string; node?: number; version?: number; limit?: number };
  }>(
    `${p}/requests`,
    schema(
      'Recorded requests of a recording (default: the latest), oldest first; bytes as base64',
      {
        querystring: {
          type: 'object',
          properties: {
            recording: { type: 'string' },
            api: { type: 'string', description: "API name or key; several comma-separated ('Produce,Fetch')" },
            clientId: { type: 'string', description: 'a regular expression source' },
            topic: { type: 'string' },
            node: { type: 'integer' },
            version: { type: 'integer' },
            limit: { type: 'integer', minimum: 1, description: 'only the last N' },
          },
        },
      },
      { type: 'array', items: { type: 'object', additionalProperties: true } },
    ),
    async (req) => state.listRequests(req.query),
  );
  app.delete<{ Querystring: { recording?: string } }>(
    `${p}/requests`,
    schema('Stop a recording (default: the latest) and forget it', {
      querystring: { type: 'object', properties: { recording: { type: 'string' } } },
    }),
    async (req) => {
      state.stopRecording(req.query.recording);
      return { ok: true };
    },
  );

  app.post<{ Body: { by: number | string } }>(
    `${p}/clock/advance`,
    schema(
      "Advance the virtual clock (ms, or '45s', '2m'); fires due timers",
      { body: { type: 'object', required: ['by'], properties: { by: { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string' }] } } } },
      { type: 'object', properties: { now: { type: 'integer' } } },
    ),
    async (req) => ({ now: await state.advanceClock(req.body.by) }),
  );
  return state;
}
