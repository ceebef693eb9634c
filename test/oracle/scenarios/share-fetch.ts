// KIP-932 delivery: ShareFetch (78) and ShareAcknowledge (79) share sessions and their errors
// (epochs, unknown sessions, acknowledgements in an opening fetch, malformed acknowledgements,
// unknown topic ids and partitions). Sessions are opened on partitions that hold no share
// partition yet (an unknown topic id), so neither broker needs a share group member for them;
// acquiring records needs a member of a share group (test/integration/share-*.test.ts).

import { ShareAcknowledge, ShareFetch } from '../../../protocol/messages/index.js';
import type { Ctx, Scenario, Step } from '../oracle.js';
import { createTopic } from '../steps.js';
import { SHARE_STATE_SCENARIOS } from './share-state.js';

const MEMBER = 'AAAAAAAAAAAAAAAAAAAAAQ';
const NO_TOPIC = 'AAAAAAAAAAAAAAAAAAAABQ';

type Parts = Array<{ topicId: string; partitions: Array<{ partitionIndex: number; acknowledgementBatches: unknown[] }> }>;

const fetchBody = (c: Ctx, epoch: number, topics: Parts = []) => ({
  groupId: c.name('g'),
  memberId: MEMBER,
  shareSessionEpoch: epoch,
  maxWaitMs: 0,
  minBytes: 1,
  maxBytes: 1_048_576,
  maxRecords: 500,
  batchSize: 500,
  topics,
  forgottenTopicsData: [],
});

const ackBody = (c: Ctx, epoch: number, topics: Parts = []) => ({
  groupId: c.name('g'),
  memberId: MEMBER,
  shareSessionEpoch: epoch,
  topics,
});

const part = (topicId: string, partitionIndex: number, acknowledgementBatches: unknown[] = []) => ({
  topicId,
  partitions: [{ partitionIndex, acknowledgementBatches }],
});

/** ShareFetch at epoch 0 on an unknown topic id: opens the session (setup for ShareAcknowledge). */
const openSession: Step = { api: ShareFetch, compare: false, body: (c) => fetchBody(c, 0, [part(NO_TOPIC, 0)]) };

/** Delivery, then the share state and offsets APIs of scenarios/share-state.ts (one Kafka for both). */
export const SHARE_FETCH_SCENARIOS: Scenario[] = [
  {
    id: 'share-fetch/session-not-found',
    api: ShareFetch,
    about: 'a later epoch without a session, and the final epoch without one: SHARE_SESSION_NOT_FOUND',
    steps: [
      { api: ShareFetch, body: (c) => fetchBody(c, 3) },
      { api: ShareFetch, body: (c) => fetchBody(c, -1) },
    ],
  },
  {
    id: 'share-fetch/initial-with-acks',
    api: ShareFetch,
    about: 'acknowledgements in the fetch that opens a session: INVALID_REQUEST',
    steps: [
      ...createTopic('t'),
      {
        api: ShareFetch,
        body: (c) => fetchBody(c, 0, [part(c.vars['id:t'], 0, [{ firstOffset: 0, lastOffset: 0, acknowledgeTypes: [1] }])]),
      },
    ],
  },
  {
    id: 'share-fetch/session-epochs',
    api: ShareFetch,
    about: 'an unknown topic id opens a session (UNKNOWN_TOPIC_ID), a missing partition joins it, a wrong epoch, the final epoch',
    normalise: [
      {
        path: 'responses',
        api: 'ShareFetch',
        action: 'sort',
        key: 'partitions',
        reason: "Kafka answers a share session's partitions from a hash map: their order varies from run to run",
      },
    ],
    steps: [
      ...createTopic('t'),
      { api: ShareFetch, body: (c) => fetchBody(c, 0, [part(NO_TOPIC, 0)]) },
      { api: ShareFetch, body: (c) => fetchBody(c, 1, [part(c.vars['id:t'], 9)]) },
      { api: ShareFetch, body: (c) => fetchBody(c, 7) },
      { api: ShareFetch, body: (c) => fetchBody(c, 2) },
      { api: ShareFetch, body: (c) => fetchBody(c, 0, [part(NO_TOPIC, 0)]) },
      { api: ShareFetch, body: (c) => fetchBody(c, -1) },
      { api: ShareFetch, body: (c) => fetchBody(c, 1) },
    ],
  },
  {
    id: 'share-fetch/ack-session-errors',
    api: ShareAcknowledge,
    about: 'epoch 0 is INVALID_SHARE_SESSION_EPOCH, no session SHARE_SESSION_NOT_FOUND, a wrong epoch INVALID_SHARE_SESSION_EPOCH',
    steps: [
      { api: ShareAcknowledge, body: (c) => ackBody(c, 0) },
      { api: ShareAcknowledge, body: (c) => ackBody(c, 4) },
      { api: ShareAcknowledge, body: (c) => ackBody(c, -1) },
      openSession,
      { api: ShareAcknowledge, body: (c) => ackBody(c, 5) },
      { api: ShareAcknowledge, body: (c) => ackBody(c, 1) },
      { api: ShareAcknowledge, body: (c) => ackBody(c, -1) },
      { api: ShareAcknowledge, body: (c) => ackBody(c, 2) },
    ],
  },
  {
    id: 'share-fetch/ack-partition-errors',
    api: ShareAcknowledge,
    about: 'records never fetched (no share partition), malformed batches, an unknown topic id, a missing partition',
    steps: [
      ...createTopic('t'),
      openSession,
      {
        api: ShareAcknowledge,
        body: (c) => ackBody(c, 1, [part(c.vars['id:t'], 0, [{ firstOffset: 0, lastOffset: 1, acknowledgeTypes: [1] }])]),
      },
      {
        api: ShareAcknowledge,
        body: (c) => ackBody(c, 2, [part(c.vars['id:t'], 0, [{ firstOffset: 0, lastOffset: 0, acknowledgeTypes: [7] }])]),
      },
      {
        api: ShareAcknowledge,
        body: (c) => ackBody(c, 3, [part(c.vars['id:t'], 0, [{ firstOffset: 3, lastOffset: 1, acknowledgeTypes: [1] }])]),
      },
      {
        api: ShareAcknowledge,
        body: (c) => ackBody(c, 4, [part(c.vars['id:t'], 0, [{ firstOffset: 0, lastOffset: 2, acknowledgeTypes: [1, 2] }])]),
      },
      {
        api: ShareAcknowledge,
        body: (c) => ackBody(c, 5, [part(NO_TOPIC, 0, [{ firstOffset: 0, lastOffset: 0, acknowledgeTypes: [1] }])]),
      },
      {
        api: ShareAcknowledge,
        body: (c) => ackBody(c, 6, [part(c.vars['id:t'], 4, [{ firstOffset: 0, lastOffset: 0, acknowledgeTypes: [1] }])]),
      },
      {
        api: ShareAcknowledge,
        body: (c) => ackBody(c, 7, [part(c.vars['id:t'], 0, [{ firstOffset: 0, lastOffset: 0, acknowledgeTypes: [4] }])]),
      },
    ],
  },
  ...SHARE_STATE_SCENARIOS,
];
