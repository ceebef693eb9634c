// Topic administration over the Kafka protocol: CreateTopics, DeleteTopics, Metadata,
// DescribeConfigs, IncrementalAlterConfigs and ListOffsets, as kafka-topics.sh and
// kafka-configs.sh use them. Requests that Kafka routes to the controller go to the node
// Metadata names as controller.

import { ErrorCode } from '../../protocol/errors.js';
import { CreateTopics, DeleteTopics, DescribeConfigs, IncrementalAlterConfigs, ListOffsets } from '../../protocol/messages/index.js';
import { check, KafkaError, type KafkaClient } from './client.js';

export const RESOURCE_TOPIC = 2;
export const RESOURCE_BROKER = 4;
export const OP_SET = 0;
export const OP_DELETE = 1;

/** ListOffsets special timestamps. */
export const LATEST = -1;
export const EARLIEST = -2;

export interface ConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  /** DescribeConfigs ConfigSource (1 topic override, 4 static broker, 5 default, ...). */
  source: number;
  sensitive: boolean;
}

export const SOURCE_NAMES: Record<number, string> = {
  1: 'DYNAMIC_TOPIC_CONFIG',
  2: 'DYNAMIC_BROKER_CONFIG',
  3: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
  4: 'STATIC_BROKER_CONFIG',
  5: 'DEFAULT_CONFIG',
  6: 'DYNAMIC_BROKER_LOGGER_CONFIG',
};

async function controller(client: KafkaClient): Promise<number | undefined> {
  const md = await client.metadata([]);
  return md.controllerId >= 0 && md.brokers.some((b) => b.nodeId === md.controllerId) ? md.controllerId : undefined;
}

export async function createTopic(
  client: KafkaClient,
  name: string,
  opts: { partitions?: number; replicationFactor?: number; configs?: Record<string, string>; ifNotExists?: boolean },
): Promise<{ created: boolean }> {
  const { response } = await client.send(
    CreateTopics,
    () => ({
      topics: [
        {
          name,
          numPartitions: opts.partitions ?? -1,
          replicationFactor: opts.replicationFactor ?? -1,
          assignments: [],
          configs: Object.entries(opts.configs ?? {}).map(([k, v]) => ({ name: k, value: v })),
        },
      ],
      timeoutMs: 30_000,
      validateOnly: false,
    }),
    { node: await controller(client) },
  );
  const t = response.topics[0]!;
  if (t.errorCode === ErrorCode.TOPIC_ALREADY_EXISTS && opts.ifNotExists) return { created: false };
  check(t.errorCode, t.errorMessage);
  return { created: true };
}

export async function deleteTopics(
  client: KafkaClient,
  names: string[],
): Promise<Array<{ name: string; errorCode: number; message: string | null }>> {
  const { response } = await client.send(DeleteTopics, () => ({ topicNames: names, timeoutMs: 30_000 }), {
    node: await controller(client),
  });
  return response.responses.map((r) => ({ name: r.name ?? '', errorCode: r.errorCode, message: r.errorMessage }));
}

export async function describeConfigs(client: KafkaClient, resourceType: number, name: string): Promise<ConfigEntry[]> {
  const node = resourceType === RESOURCE_BROKER ? Number(name) : undefined;
  const { response } = await client.send(
    DescribeConfigs,
    () => ({
      resources: [{ resourceType, resourceName: name, configurationKeys: null }],
      includeSynonyms: false,
      includeDocumentation: false,
    }),
    { node: node !== undefined && Number.isInteger(node) ? node : undefined },
  );
  const r = response.results[0]!;
  check(r.errorCode, r.errorMessage);
  return r.configs.map((c) => ({
    name: c.name,
    value: c.value,
    readOnly: c.readOnly,
    source: c.configSource === -1 ? (c.isDefault ? 5 : 1) : c.configSource,
    sensitive: c.isSensitive,
  }));
}

export async function alterConfigs(
  client: KafkaClient,
  resourceType: number,
  name: string,
  set: Record<string, string>,
  remove: string[],
): Promise<void> {
  const configs = [
    ...Object.entries(set).map(([k, v]) => ({ name: k, configOperation: OP_SET, value: v })),
    ...remove.map((k) => ({ name: k, configOperation: OP_DELETE, value: null })),
  ];
  const node = resourceType === RESOURCE_BROKER ? Number(name) : undefined;
  const { response } = await client.send(
    IncrementalAlterConfigs,
    () => ({ resources: [{ resourceType, resourceName: name, configs }], validateOnly: false }),
    {
      node: node !== undefined && Number.isInteger(node) ? node : await controller(client),
    },
  );
  const r = response.responses[0]!;
  check(r.errorCode, r.errorMessage);
}

/**
 * ListOffsets for partitions of one topic at a timestamp (LATEST, EARLIEST or epoch ms); each
 * request goes to the partition's leader. Returns partition → offset (-1: none at that time).
 * With isolationLevel 1 (read_committed) LATEST is the last stable offset.
 */
export async function listOffsets(
  client: KafkaClient,
  topic: string,
  timestamp: number,
  partitions?: number[],
  isolationLevel: 0 | 1 = 0,
): Promise<Map<number, number>> {
  const md = await client.topic(topic);
  const wanted = partitions ?? md.partitions.map((p) => p.partition);
  const byLeader = new Map<number, number[]>();
  for (const p of wanted) {
    const leader = md.partitions.find((x) => x.partition === p)?.leader;
    if (leader === undefined) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `${topic} has no partition ${p}`);
    byLeader.set(leader, [...(byLeader.get(leader) ?? []), p]);
  }
  const out = new Map<number, number>();
  await Promise.all(
    [...byLeader].map(async ([leader, parts]) => {
      const { response } = await client.send(
        ListOffsets,
        () => ({
          replicaId: -1,
          isolationLevel,
          topics: [
            {
              name: topic,
              partitions: parts.map((partitionIndex) => ({ partitionIndex, timestamp, currentLeaderEpoch: -1, maxNumOffsets: 1 })),
            },
          ],
        }),
        { node: leader },
      );
      for (const t of response.topics) {
        for (const p of t.partitions) {
          check(p.errorCode, `${topic}-${p.partitionIndex}`);
          out.set(p.partitionIndex, p.offset);
        }
      }
    }),
  );
  return out;
}
