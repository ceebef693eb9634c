// Requests the fuzzers (test/fuzz/, test/unit/fuzz-*.test.ts) found kafkalite mishandling, each
// kept as a scenario against Kafka 4.4 once fixed.

import { CreatePartitions, CreateTopics, Metadata, Produce } from '../../../protocol/messages/index.js';
import { Codec } from '../../../protocol/records/index.js';
import { claimedBomb } from '../../fuzz/bombs.js';
import type { Ctx, Scenario, Step } from '../oracle.js';
import { createTopic, produceBody } from '../steps.js';

const ZERO = 'AAAAAAAAAAAAAAAAAAAAAA';
const SOME_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';

/** CreateTopics of [name suffix (or a raw name), partitions, replication factor, configs]. */
const createTopics = (
  topics: Array<[string | ((c: Ctx) => string), number, number, Record<string, string>?]>,
  validateOnly: boolean,
): Step => ({
  api: CreateTopics,
  body: (c) => ({
    topics: topics.map(([name, numPartitions, replicationFactor, configs]) => ({
      name: typeof name === 'string' ? c.name(name) : name(c),
      numPartitions,
      replicationFactor,
      assignments: [],
      configs: Object.entries(configs ?? {}).map(([k, value]) => ({ name: k, value })),
    })),
    timeoutMs: 30_000,
    validateOnly,
  }),
});

const createPartitions = (topics: Array<[string, number]>, validateOnly: boolean): Step => ({
  api: CreatePartitions,
  body: (c) => ({
    topics: topics.map(([name, count]) => ({ name: c.name(name), count, assignments: null })),
    timeoutMs: 30_000,
    validateOnly,
  }),
});

export const FUZZ_FOUND_SCENARIOS: Scenario[] = [
  {
    id: 'fuzz/metadata-null-name-before-v12',
    api: Metadata,
    versions: [10, 11],
    about: 'a null topic name at v10-11 (ids not usable yet): INVALID_REQUEST error response, name "" (was: response failed to encode)',
    steps: [{ api: Metadata, body: { topics: [{ name: null, topicId: ZERO }], allowAutoTopicCreation: false } }],
  },
  {
    id: 'fuzz/metadata-topic-id-before-v12',
    api: Metadata,
    versions: [10, 11],
    about: 'a topic id at v10-11: INVALID_REQUEST for every topic of the request',
    steps: [
      {
        api: Metadata,
        body: (c) => ({
          topics: [
            { name: c.name('x'), topicId: SOME_ID },
            { name: c.name('y'), topicId: ZERO },
          ],
          allowAutoTopicCreation: false,
        }),
      },
    ],
  },
  {
    id: 'fuzz/metadata-ids-and-names',
    api: Metadata,
    versions: [12, 13],
    about: 'v12+: one topic by id, one by name only: Kafka answers by id only, the named topic is left out',
    steps: [
      {
        api: Metadata,
        body: (c) => ({
          topics: [
            { name: c.name('x'), topicId: SOME_ID },
            { name: c.name('y'), topicId: ZERO },
          ],
          allowAutoTopicCreation: false,
        }),
      },
    ],
  },
  {
    id: 'fuzz/metadata-neither-name-nor-id',
    api: Metadata,
    versions: [12, 13],
    about: 'v12+: a topic with a null name and the zero id: UNKNOWN_SERVER_ERROR error response',
    steps: [{ api: Metadata, body: { topics: [{ name: null, topicId: ZERO }], allowAutoTopicCreation: false } }],
  },
  // Partition counts a mutated CreateTopics or CreatePartitions can carry: Kafka's controller
  // bounds one request to 10,000 partitions and 10,000 metadata records (broker/limits/controller-batch.ts).
  {
    id: 'fuzz/create-topics-excessive',
    api: CreateTopics,
    versions: 'newest',
    about: 'over 10,000 partitions or 10,000 records in one request: POLICY_VIOLATION for every topic, nothing created',
    steps: [
      createTopics([['huge', 1_000_000, 1000]], false),
      createTopics([['huge', 1_000_000, 1]], false),
      createTopics(
        [
          ['a', 5000, 1],
          ['b', 5001, 1],
          ['dup', 1, 1],
          ['dup', 1, 1],
        ],
        true,
      ),
      createTopics([['c', 9999, 1]], true),
      createTopics([['c', 10_000, 1]], true),
      createTopics([['c', 9998, 1, { 'retention.ms': '1000' }]], true),
      createTopics([['c', 9999, 1, { 'retention.ms': '1000' }]], true),
      createTopics(
        [
          [() => 'bad name!', 1, 1],
          ['d', 4999, 1],
          ['e', 5000, 1],
        ],
        true,
      ),
      createTopics(
        [
          ['f', -1, 1],
          ['g', 9999, 1],
        ],
        true,
      ),
    ],
  },
  {
    id: 'fuzz/create-partitions-excessive',
    api: CreatePartitions,
    versions: 'newest',
    about: 'over 10,000 partitions added by one request: POLICY_VIOLATION for every topic, nothing added',
    steps: [
      ...createTopic('f'),
      ...createTopic('g'),
      createPartitions(
        [
          ['f', 1_000_000],
          ['g', 2],
        ],
        false,
      ),
      createPartitions([['f', 10_001]], true),
      createPartitions([['f', 10_002]], true),
      createPartitions(
        [
          ['f', 6000],
          ['g', 6000],
          ['nope', 20_000],
        ],
        true,
      ),
      createPartitions([['f', 2]], false),
    ],
  },
  // A gzip or lz4 batch whose header over-claims its size (gzip's ISIZE, an LZ4 content size of
  // 1 GiB) around 64 zero bytes: Kafka's stream decoder yields the bytes and its record walk fails
  // first, INVALID_RECORD (was: UNKNOWN_SERVER_ERROR from the codec's own check).
  ...[Codec.GZIP, Codec.LZ4].map(
    (codec): Scenario => ({
      id: `fuzz/produce-overclaimed-${codec === Codec.GZIP ? 'gzip' : 'lz4'}`,
      api: Produce,
      versions: 'newest',
      about: 'a compressed batch whose header claims 1 GiB over 64 zero bytes: INVALID_RECORD',
      steps: [...createTopic('t', 1, {}), { api: Produce, body: (c) => produceBody(c.name('t'), claimedBomb(codec, 1 << 30), 0) }],
    }),
  ),
];
