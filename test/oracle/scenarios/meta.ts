// ApiVersions, Metadata, DescribeCluster, DescribeTopicPartitions: what a client asks first.

import { ApiVersions, DescribeCluster, DescribeTopicPartitions, Metadata } from '../../../protocol/messages/index.js';
import type { Res, Scenario } from '../oracle.js';
import { coordinator, createTopic } from '../steps.js';

type Range = { apiKey: number; minVersion: number; maxVersion: number };

/**
 * ApiVersions' key list as a map, with what Kafka serves beyond kafkalite (keys kafkalite
 * lacks, newer versions) set aside and printed: another issue adds Kafka 4.4's versions.
 */
function servedBeyond(kafka: Res, lite: Res, log: (line: string) => void): void {
  if (!Array.isArray(kafka.apiKeys) || !Array.isArray(lite.apiKeys)) return;
  const l = new Map<number, Range>(lite.apiKeys.map((a: Range) => [a.apiKey, a]));
  const beyond: string[] = [];
  const k: Record<string, unknown> = {};
  for (const a of kafka.apiKeys as Range[]) {
    const mine = l.get(a.apiKey);
    if (!mine) {
      beyond.push(`${a.apiKey}:v${a.minVersion}-${a.maxVersion}`);
      continue;
    }
    if (a.maxVersion > mine.maxVersion) beyond.push(`${a.apiKey}:v${mine.maxVersion + 1}-${a.maxVersion}`);
    if (a.minVersion > mine.minVersion) {
      // Versions kafkalite serves below Kafka's oldest stay a mismatch (tabled: KIP-896).
    }
    k[a.apiKey] = { min: a.minVersion, max: Math.min(a.maxVersion, mine.maxVersion) };
  }
  if (beyond.length > 0) log(`Kafka 4.4 serves beyond kafkalite: ${beyond.join(' ')}`);
  kafka.apiKeys = k;
  lite.apiKeys = Object.fromEntries([...l].map(([key, a]) => [key, { min: a.minVersion, max: a.maxVersion }]));
}

export const META_SCENARIOS: Scenario[] = [
  {
    id: 'meta/api-versions',
    api: ApiVersions,
    about: 'the keys and version ranges each broker serves, and the rest of the answer',
    adjust: servedBeyond,
    steps: [{ api: ApiVersions, body: { clientSoftwareName: 'kafkalite-oracle', clientSoftwareVersion: '1.0' } }],
  },
  {
    id: 'meta/api-versions-bad-software-name',
    api: ApiVersions,
    versions: [3, 4],
    adjust: servedBeyond,
    steps: [{ api: ApiVersions, body: { clientSoftwareName: '-bad name', clientSoftwareVersion: '1.0' } }],
  },
  {
    id: 'meta/api-versions-unsupported-version',
    api: ApiVersions,
    versions: [0],
    about: 'ApiVersions at a version neither serves: UNSUPPORTED_VERSION with a v0 body',
    adjust: servedBeyond,
    steps: [{ api: ApiVersions, v: 127, body: {}, opts: { responseVersion: 0, bodyVersion: 4 } }],
  },
  {
    id: 'meta/metadata-topic',
    api: Metadata,
    steps: [...createTopic('t', 3), { api: Metadata, body: (c) => ({ topics: [{ name: c.name('t') }], allowAutoTopicCreation: false }) }],
  },
  {
    id: 'meta/metadata-unknown-topic',
    api: Metadata,
    steps: [{ api: Metadata, body: (c) => ({ topics: [{ name: c.name('missing') }], allowAutoTopicCreation: false }) }],
    versions: [4, 8, 12],
  },
  {
    id: 'meta/metadata-invalid-topic-name',
    api: Metadata,
    versions: [4, 8, 12],
    steps: [{ api: Metadata, body: { topics: [{ name: 'bad name!' }], allowAutoTopicCreation: true } }],
  },
  {
    id: 'meta/metadata-no-topics',
    api: Metadata,
    versions: [1, 9, 12],
    about: 'an empty list (v1+): brokers only',
    steps: [{ api: Metadata, body: { topics: [], allowAutoTopicCreation: false } }],
  },
  {
    id: 'meta/metadata-auto-create',
    api: Metadata,
    about: 'auto.create.topics.enable defaults to true in both',
    versions: [4, 8, 12],
    steps: [
      {
        api: Metadata,
        body: (c) => ({ topics: [{ name: c.name('auto') }], allowAutoTopicCreation: true }),
      },
    ],
  },
  {
    id: 'meta/metadata-authorized-operations',
    api: Metadata,
    versions: [8, 10, 12],
    steps: [
      ...createTopic('t', 1),
      {
        api: Metadata,
        body: (c) => ({
          topics: [{ name: c.name('t') }],
          allowAutoTopicCreation: false,
          includeClusterAuthorizedOperations: true,
        }),
      },
    ],
  },
  {
    id: 'meta/metadata-unknown-topic-id',
    api: Metadata,
    versions: [12],
    steps: [{ api: Metadata, body: { topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', name: null }], allowAutoTopicCreation: false } }],
  },
  {
    id: 'meta/metadata-internal-topic',
    api: Metadata,
    versions: [1, 9, 12],
    steps: [coordinator('g'), { api: Metadata, body: { topics: [{ name: '__consumer_offsets' }], allowAutoTopicCreation: false } }],
  },
  {
    id: 'meta/describe-cluster',
    api: DescribeCluster,
    steps: [{ api: DescribeCluster, body: { includeClusterAuthorizedOperations: false, endpointType: 1 } }],
  },
  {
    id: 'meta/describe-cluster-authorized-operations',
    api: DescribeCluster,
    steps: [{ api: DescribeCluster, body: { includeClusterAuthorizedOperations: true, endpointType: 1 } }],
  },
  {
    id: 'meta/describe-cluster-controller-endpoint',
    api: DescribeCluster,
    versions: 'newest',
    steps: [{ api: DescribeCluster, body: { includeClusterAuthorizedOperations: false, endpointType: 2 } }],
  },
  {
    id: 'meta/describe-topic-partitions',
    api: DescribeTopicPartitions,
    about: 'two topics, one unknown',
    steps: [
      ...createTopic('t', 3),
      {
        api: DescribeTopicPartitions,
        body: (c) => ({
          topics: [{ name: c.name('t') }, { name: c.name('missing') }],
          responsePartitionLimit: 2000,
          cursor: null,
        }),
      },
    ],
  },
  {
    id: 'meta/describe-topic-partitions-paged',
    api: DescribeTopicPartitions,
    about: 'a partition limit of 2 over 3 partitions gives a next cursor; the cursor resumes there',
    steps: [
      ...createTopic('t', 3),
      {
        api: DescribeTopicPartitions,
        body: (c) => ({
          topics: [{ name: c.name('t') }],
          responsePartitionLimit: 2,
          cursor: null,
        }),
      },
      {
        api: DescribeTopicPartitions,
        body: (c) => ({
          topics: [{ name: c.name('t') }],
          responsePartitionLimit: 2,
          cursor: { topicName: c.name('t'), partitionIndex: 2 },
        }),
      },
    ],
  },
];
