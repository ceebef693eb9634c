// A small Kafka client over kafkalite's own protocol codecs, for the CLI verbs. It works
// against kafkalite and against Apache Kafka: versions are negotiated with ApiVersions (the
// highest version both this client and the broker speak, capped at versions whose fields this
// client fills in), requests go to partition leaders and group coordinators found through
// Metadata and FindCoordinator.

import { ErrorCode, errorName } from '../../protocol/errors.js';
import { ApiVersions, FindCoordinator, Metadata } from '../../protocol/messages/index.js';
import type { ApiSpec, Input, RequestOf, ResponseOf } from '../../protocol/schema.js';
import { KafkaConnection } from './connection.js';

/** Highest version of each API this client fills in correctly (key → version). */
const CLIENT_MAX: Record<number, number> = {
  0: 9, // Produce
  1: 12, // Fetch (v13 names topics by id)
  2: 7, // ListOffsets
  3: 12, // Metadata
  8: 8, // OffsetCommit
  9: 7, // OffsetFetch (v8 batches groups)
  10: 3, // FindCoordinator (v4 batches keys)
  11: 7, // JoinGroup
  12: 4, // Heartbeat
  13: 4, // LeaveGroup
  14: 5, // SyncGroup
  15: 5, // DescribeGroups
  16: 4, // ListGroups
  18: 0, // ApiVersions
  19: 7, // CreateTopics
  20: 5, // DeleteTopics (v6 names topics by id)
  32: 4, // DescribeConfigs
  37: 3, // CreatePartitions
  42: 2, // DeleteGroups
  44: 1, // IncrementalAlterConfigs
};

export class KafkaError extends Error {
  constructor(
    readonly errorCode: number,
    message?: string | null,
  ) {
    super(message ? `${errorName(errorCode)}: ${message}` : errorName(errorCode));
    this.name = 'KafkaError';
  }
}

/** Throw a KafkaError for a non-zero error code. */
export function check(errorCode: number, message?: string | null): void {
  if (errorCode !== ErrorCode.NONE) throw new KafkaError(errorCode, message);
}

export interface ClientOptions {
  /** Comma-separated host:port list. */
  bootstrap: string;
  clientId?: string;
  requestTimeoutMs?: number;
}

export interface TopicMetadata {
  name: string;
  id: string;
  internal: boolean;
  errorCode: number;
  partitions: Array<{ partition: number; leader: number; leaderEpoch: number; replicas: number[]; isr: number[]; errorCode: number }>;
}

export interface ClusterMetadata {
  clusterId: string | null;
  controllerId: number;
  brokers: Array<{ nodeId: number; host: string; port: number; rack: string | null }>;
  topics: TopicMetadata[];
}

function splitAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  if (i <= 0) throw new Error(`expected host:port, got ${JSON.stringify(address)}`);
  const host = address.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  const port = Number(address.slice(i + 1));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`bad port in ${JSON.stringify(address)}`);
  return { host, port };
}

export class KafkaClient {
  private readonly nodes = new Map<number, { host: string; port: number }>();
  private readonly connections = new Map<number, Promise<KafkaConnection>>();
  private readonly versions = new Map<number, { min: number; max: number }>();

  private constructor(
    private readonly bootstrapConnection: KafkaConnection,
    readonly clientId: string,
    private readonly requestTimeoutMs: number,
  ) {}

  /** Connect to the first reachable bootstrap server and agree on API versions. */
  static async connect(opts: ClientOptions): Promise<KafkaClient> {
    const clientId = opts.clientId ?? 'kafkalite-cli';
    const errors: string[] = [];
    for (const address of opts.bootstrap
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const { host, port } = splitAddress(address);
      let conn: KafkaConnection;
      try {
        conn = await KafkaConnection.open(host, port, { clientId, requestTimeoutMs: opts.requestTimeoutMs ?? 30_000 });
      } catch (err) {
        errors.push((err as Error).message);
        continue;
      }
      const client = new KafkaClient(conn, clientId, opts.requestTimeoutMs ?? 30_000);
      try {
        const res = await conn.send(ApiVersions, 0, {});
        check(res.errorCode);
        for (const k of res.apiKeys) client.versions.set(k.apiKey, { min: k.minVersion, max: k.maxVersion });
        return client;
      } catch (err) {
        void conn.close();
        errors.push(`${address}: ${(err as Error).message}`);
      }
    }
    throw new Error(`cannot reach any bootstrap server (${opts.bootstrap}): ${errors.join('; ')}`);
  }

  /** Version to use for `api`: the highest both sides speak. */
  version(api: ApiSpec): number {
    const broker = this.versions.get(api.apiKey);
    const mine = CLIENT_MAX[api.apiKey] ?? api.validVersions.max;
    if (!broker) throw new Error(`the broker does not serve ${api.name}`);
    const v = Math.min(broker.max, mine, api.validVersions.max);
    if (v < broker.min || v < api.validVersions.min)
      throw new Error(`no common version of ${api.name} (broker ${broker.min}-${broker.max}, client up to ${mine})`);
    return v;
  }

  supports(api: ApiSpec): boolean {
    return this.versions.has(api.apiKey);
  }

  /** Send to a node (default: the bootstrap connection) at the negotiated version. */
  async send<A extends ApiSpec>(
    api: A,
    body: (v: number) => Input<RequestOf<A>>,
    opts: { node?: number; timeoutMs?: number; version?: number } = {},
  ): Promise<{ version: number; response: ResponseOf<A> }> {
    const version = opts.version ?? this.version(api);
    const conn = opts.node === undefined ? this.bootstrapConnection : await this.connection(opts.node);
    return { version, response: await conn.send(api, version, body(version), { timeoutMs: opts.timeoutMs }) };
  }

  /** The connection to a node known from Metadata. */
  connection(nodeId: number): Promise<KafkaConnection> {
    const existing = this.connections.get(nodeId);
    if (existing) {
      return existing.then((c) => {
        if (!c.closed) return c;
        this.connections.delete(nodeId);
        return this.connection(nodeId);
      });
    }
    const node = this.nodes.get(nodeId);
    if (!node) return Promise.reject(new Error(`unknown node ${nodeId} (not in Metadata)`));
    const p = KafkaConnection.open(node.host, node.port, { clientId: this.clientId, requestTimeoutMs: this.requestTimeoutMs });
    this.connections.set(nodeId, p);
    p.catch(() => this.connections.delete(nodeId));
    return p;
  }

  /** Metadata for some topics (null: all); remembers the brokers. */
  async metadata(topics: string[] | null, allowAutoTopicCreation = false): Promise<ClusterMetadata> {
    const { response: res } = await this.send(Metadata, (v) => ({
      topics: topics === null ? (v === 0 ? [] : null) : topics.map((name) => ({ name })),
      allowAutoTopicCreation,
    }));
    for (const b of res.brokers) this.nodes.set(b.nodeId, { host: b.host, port: b.port });
    return {
      clusterId: res.clusterId,
      controllerId: res.controllerId,
      brokers: res.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack })),
      topics: res.topics.map((t) => ({
        name: t.name ?? '',
        id: t.topicId,
        internal: t.isInternal,
        errorCode: t.errorCode,
        partitions: t.partitions
          .map((p) => ({
            partition: p.partitionIndex,
            leader: p.leaderId,
            leaderEpoch: p.leaderEpoch,
            replicas: p.replicaNodes,
            isr: p.isrNodes,
            errorCode: p.errorCode,
          }))
          .sort((a, b) => a.partition - b.partition),
      })),
    };
  }

  /** Metadata of one existing topic; throws UNKNOWN_TOPIC_OR_PARTITION when missing. */
  async topic(name: string): Promise<TopicMetadata> {
    const md = await this.metadata([name]);
    const t = md.topics.find((x) => x.name === name);
    if (!t) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `no topic ${name}`);
    check(t.errorCode, `topic ${name}`);
    return t;
  }

  /** Node coordinating a group (retries while the coordinator loads). */
  async coordinator(groupId: string): Promise<number> {
    if (this.nodes.size === 0) await this.metadata([]);
    for (let attempt = 0; ; attempt++) {
      const { response: res } = await this.send(FindCoordinator, () => ({ key: groupId, keyType: 0 }));
      const retriable = res.errorCode === ErrorCode.COORDINATOR_NOT_AVAILABLE || res.errorCode === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
      if (retriable && attempt < 20) {
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      check(res.errorCode, res.errorMessage);
      this.nodes.set(res.nodeId, { host: res.host, port: res.port });
      return res.nodeId;
    }
  }

  close(): void {
    void this.bootstrapConnection.close();
    for (const p of this.connections.values())
      p.then(
        (c) => c.close(),
        () => undefined,
      );
    this.connections.clear();
  }
}
