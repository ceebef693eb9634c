// KIP-932 share state: the share-coordinator APIs Kafka 4.4 serves on its broker listener
// (InitializeShareGroupState 83, ReadShareGroupState 84, WriteShareGroupState 85,
// DeleteShareGroupState 86, ReadShareGroupStateSummary 87) and the share-group offsets admin
// APIs (DescribeShareGroupOffsets 90, AlterShareGroupOffsets 91, DeleteShareGroupOffsets 92),
// happy and error paths. Kafka creates `__share_group_state` at the first FindCoordinator of key
// type 2 and answers NOT_COORDINATOR until it has loaded: the setup asks until it is ready.
// Part of the share-fetch oracle file (one Kafka for both).

import {
  AlterShareGroupOffsets,
  DeleteShareGroupOffsets,
  DeleteShareGroupState,
  DescribeGroups,
  DescribeShareGroupOffsets,
  FindCoordinator,
  InitializeShareGroupState,
  OffsetCommit,
  ReadShareGroupState,
  ReadShareGroupStateSummary,
  WriteShareGroupState,
  ShareGroupDescribe,
} from '../../../protocol/messages/index.js';
import type { Ctx, Res, Scenario, Step } from '../oracle.js';
import { createTopic, groupCoordinator } from '../steps.js';

const NO_TOPIC = 'AAAAAAAAAAAAAAAAAAAABQ';

/** The share coordinator of (group g, topic t, partition 0): Kafka's state topic created and loaded. */
const shareCoordinator: Step = {
  api: FindCoordinator,
  compare: false,
  v: 6,
  body: (c: Ctx) => ({ keyType: 2, coordinatorKeys: [`${c.name('g')}:${c.vars['id:t']}:0`] }),
  // kafkalite's FindCoordinator may not take key type 2 (share-group's work): any answer but "not yet" ends the wait.
  until: (r: Res) => r.coordinators[0].errorCode !== 15,
};

const ids = (c: Ctx, partitions: Array<Record<string, unknown>>, topicId = c.vars['id:t']) => [{ topicId, partitions }];

const init = (startOffset: number, stateEpoch = 1, compare = true): Step => ({
  api: InitializeShareGroupState,
  compare,
  v: 0,
  body: (c) => ({ groupId: c.name('g'), topics: ids(c, [{ partition: 0, stateEpoch, startOffset }]) }),
});

const read = (partition = 0, leaderEpoch = 0, topic?: string): Step => ({
  api: ReadShareGroupState,
  v: 0,
  body: (c) => ({ groupId: c.name('g'), topics: ids(c, [{ partition, leaderEpoch }], topic ?? c.vars['id:t']) }),
});

const write = (p: Record<string, unknown>, compare = true): Step => ({
  api: WriteShareGroupState,
  compare,
  body: (c) => ({
    groupId: c.name('g'),
    topics: ids(c, [{ partition: 0, stateEpoch: 1, leaderEpoch: 0, startOffset: -1, deliveryCompleteCount: -1, stateBatches: [], ...p }]),
  }),
});

/** Kafka answers NOT_COORDINATOR until the coordinator has loaded the key's state partition. */
const shareCoordinatorLoaded: Step = {
  api: ReadShareGroupState,
  compare: false,
  v: 0,
  body: (c: Ctx) => ({ groupId: c.name('g'), topics: ids(c, [{ partition: 0, leaderEpoch: 0 }]) }),
  until: (r: Res) => r.results[0].partitions[0].errorCode !== 16,
};

const setup = (): Step[] => [...createTopic('t'), shareCoordinator, shareCoordinatorLoaded];

export const SHARE_STATE_SCENARIOS: Scenario[] = [
  {
    id: 'share-fetch/state-initialize',
    api: InitializeShareGroupState,
    about: 'initialise a share partition, again with a new start offset, with an older state epoch; read it back',
    steps: [...setup(), init(5), init(6), read(), init(7, 0), read()],
  },
  {
    id: 'share-fetch/state-read-errors',
    api: ReadShareGroupState,
    about: 'uninitialised partitions, unknown topic ids and partitions: INVALID_REQUEST; an empty group id: no results',
    steps: [
      ...setup(),
      read(),
      read(0, 0, NO_TOPIC),
      read(7),
      { api: ReadShareGroupState, v: 0, body: (c) => ({ groupId: '', topics: ids(c, [{ partition: 0, leaderEpoch: 0 }]) }) },
    ],
  },
  {
    id: 'share-fetch/state-write',
    api: WriteShareGroupState,
    about: 'write before initialisation, a negative leader epoch, batches merged over earlier ones, an older state epoch',
    steps: [
      ...setup(),
      write({ startOffset: 3 }),
      init(5, 1, false),
      write({ leaderEpoch: -5 }),
      write({
        startOffset: 7,
        deliveryCompleteCount: 2,
        stateBatches: [
          { firstOffset: 7, lastOffset: 9, deliveryState: 0, deliveryCount: 1 },
          { firstOffset: 10, lastOffset: 10, deliveryState: 2, deliveryCount: 1 },
        ],
      }),
      write({ stateEpoch: 0, startOffset: 8 }),
      write({ leaderEpoch: 2, stateBatches: [{ firstOffset: 8, lastOffset: 8, deliveryState: 2, deliveryCount: 2 }] }),
      read(0, 2),
    ],
  },
  {
    id: 'share-fetch/state-summary',
    api: ReadShareGroupStateSummary,
    about: 'the summary of an uninitialised partition, then of a written one',
    steps: [
      ...setup(),
      {
        api: ReadShareGroupStateSummary,
        body: (x) => ({ groupId: x.name('g'), topics: ids(x, [{ partition: 0, leaderEpoch: 0 }]) }),
      },
      init(5, 1, false),
      write(
        {
          startOffset: 7,
          leaderEpoch: 3,
          deliveryCompleteCount: 1,
          stateBatches: [{ firstOffset: 7, lastOffset: 8, deliveryState: 0, deliveryCount: 1 }],
        },
        false,
      ),
      {
        api: ReadShareGroupStateSummary,
        body: (x) => ({ groupId: x.name('g'), topics: ids(x, [{ partition: 0, leaderEpoch: 3 }]) }),
      },
    ],
  },
  {
    id: 'share-fetch/state-delete',
    api: DeleteShareGroupState,
    about: 'delete state that does not exist, then existing state (read back as uninitialised), then again',
    steps: [
      ...setup(),
      { api: DeleteShareGroupState, body: (c) => ({ groupId: c.name('g'), topics: ids(c, [{ partition: 0 }]) }) },
      init(5, 1, false),
      { api: DeleteShareGroupState, body: (c) => ({ groupId: c.name('g'), topics: ids(c, [{ partition: 0 }]) }) },
      read(),
      { api: DeleteShareGroupState, body: (c) => ({ groupId: c.name('g'), topics: ids(c, [{ partition: 0 }]) }) },
    ],
  },
  {
    id: 'share-fetch/offsets-describe',
    api: DescribeShareGroupOffsets,
    // Kafka 4.4 takes about 28 s to answer the request naming a partition the topic lacks (its
    // persister retries): the newest version only, so the suite pays it once.
    versions: 'newest',
    about: 'a group with no share state: all topics (none), named partitions (-1), an unknown topic, an empty group id',
    steps: [
      ...createTopic('t'),
      ...groupCoordinator('g'),
      { api: DescribeShareGroupOffsets, body: (c) => ({ groups: [{ groupId: c.name('g'), topics: null }] }) },
      {
        api: DescribeShareGroupOffsets,
        body: (c) => ({
          groups: [
            {
              groupId: c.name('g'),
              topics: [
                { topicName: c.name('t'), partitions: [0, 5] },
                { topicName: c.name('nope'), partitions: [0] },
              ],
            },
          ],
        }),
      },
    ],
  },
  {
    id: 'share-fetch/offsets-alter-delete',
    api: AlterShareGroupOffsets,
    about: 'offsets of a group that is not a share group: GROUP_ID_NOT_FOUND; unknown topics and partitions',
    steps: [
      ...createTopic('t'),
      ...groupCoordinator('cg'),
      {
        api: OffsetCommit,
        compare: false,
        v: 9,
        body: (c) => ({
          groupId: c.name('cg'),
          generationIdOrMemberEpoch: -1,
          memberId: '',
          groupInstanceId: null,
          retentionTimeMs: -1,
          topics: [
            { name: c.name('t'), partitions: [{ partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, committedMetadata: '' }] },
          ],
        }),
      },
      {
        api: AlterShareGroupOffsets,
        body: (c) => ({ groupId: c.name('cg'), topics: [{ topicName: c.name('t'), partitions: [{ partitionIndex: 0, startOffset: 0 }] }] }),
      },
      { api: DeleteShareGroupOffsets, body: (c) => ({ groupId: c.name('cg'), topics: [{ topicName: c.name('t') }] }) },
      { api: DescribeShareGroupOffsets, body: (c) => ({ groups: [{ groupId: c.name('cg'), topics: null }] }) },
      ...groupCoordinator('g'),
      {
        api: AlterShareGroupOffsets,
        body: (c) => ({
          groupId: c.name('g'),
          topics: [
            {
              topicName: c.name('t'),
              partitions: [
                { partitionIndex: 0, startOffset: 0 },
                { partitionIndex: 4, startOffset: 0 },
              ],
            },
            { topicName: c.name('nope'), partitions: [{ partitionIndex: 0, startOffset: 0 }] },
          ],
        }),
      },
      { api: DescribeShareGroupOffsets, body: (c) => ({ groups: [{ groupId: c.name('g'), topics: null }] }) },
      {
        api: DeleteShareGroupOffsets,
        body: (c) => ({ groupId: c.name('g'), topics: [{ topicName: c.name('t') }, { topicName: c.name('nope') }] }),
      },
      { api: DescribeShareGroupOffsets, body: (c) => ({ groups: [{ groupId: c.name('g'), topics: null }] }) },
    ],
  },
  {
    id: 'share-fetch/offsets-alter-new-group',
    api: AlterShareGroupOffsets,
    versions: 'newest',
    about: 'altering the offsets of an unknown group makes it an empty share group (GroupMetadataManager getOrMaybeCreateShareGroup)',
    steps: [
      ...createTopic('t'),
      ...groupCoordinator('ng'),
      {
        api: AlterShareGroupOffsets,
        body: (c) => ({ groupId: c.name('ng'), topics: [{ topicName: c.name('t'), partitions: [{ partitionIndex: 0, startOffset: 0 }] }] }),
      },
      { api: ShareGroupDescribe, body: (c) => ({ groupIds: [c.name('ng')], includeAuthorizedOperations: false }) },
      { api: DescribeGroups, body: (c) => ({ groups: [c.name('ng')], includeAuthorizedOperations: false }) },
      { api: DescribeShareGroupOffsets, body: (c) => ({ groups: [{ groupId: c.name('ng'), topics: null }] }) },
    ],
  },
  {
    id: 'share-fetch/offsets-delete',
    api: DeleteShareGroupOffsets,
    about: 'deleting the offsets of a group with no share state: known topics NONE, unknown ones UNKNOWN_TOPIC_OR_PARTITION',
    steps: [
      ...createTopic('t'),
      ...groupCoordinator('g'),
      {
        api: DeleteShareGroupOffsets,
        body: (c) => ({ groupId: c.name('g'), topics: [{ topicName: c.name('nope') }, { topicName: c.name('t') }] }),
      },
    ],
  },
];
