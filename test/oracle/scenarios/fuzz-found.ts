// Requests the fuzzers (test/fuzz/, test/unit/fuzz-*.test.ts) found kafkalite mishandling, each
// kept as a scenario against Kafka 4.4 once fixed.

import { Metadata, Produce } from '../../../protocol/messages/index.js';
import { Codec } from '../../../protocol/records/index.js';
import { claimedBomb } from '../../fuzz/bombs.js';
import type { Scenario } from '../oracle.js';
import { createTopic, produceBody } from '../steps.js';

const ZERO = 'AAAAAAAAAAAAAAAAAAAAAA';
const SOME_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';

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
