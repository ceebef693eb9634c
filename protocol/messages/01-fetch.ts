// Fetch (key 1). v4 adds isolationLevel and aborted transactions; v7 brings fetch sessions;
// v11 preferredReadReplica; v12 is flexible and adds divergingEpoch / currentLeader tagged
// fields; v13 swaps topic names for topic ids; v15 moves the follower's replicaId into the
// tagged replicaState; v16 adds nodeEndpoints; v17 the replica directory id; v18 the follower's
// tagged highWatermark (KIP-1166; default Long.MAX_VALUE, written 2 ** 63: the double it reads
// as, which Writer.int64 writes back as Long.MAX_VALUE). Kafka 4.0 dropped v0-3 (KIP-896); we
// keep them, deprecated, as Kafka 3.9.1 defines them.
import { api, f } from '../schema.js';

export const Fetch = api({
  apiKey: 1,
  name: 'Fetch',
  validVersions: '0-18',
  flexibleVersions: '12+',
  deprecatedVersions: '0-3',
  request: () => ({
    clusterId: f.string('12+', { nullable: '12+', tag: 0, tagged: '12+', default: null, ignorable: true }),
    replicaId: f.int32('0-14', { default: -1 }),
    replicaState: f.struct(
      '15+',
      {
        replicaId: f.int32('15+', { default: -1 }),
        replicaEpoch: f.int64('15+', { default: -1 }),
      },
      { tag: 1, tagged: '15+' },
    ),
    maxWaitMs: f.int32('0+'),
    minBytes: f.int32('0+'),
    maxBytes: f.int32('3+', { default: 0x7fffffff, ignorable: true }),
    isolationLevel: f.int8('4+', { ignorable: true }),
    sessionId: f.int32('7+', { ignorable: true }),
    sessionEpoch: f.int32('7+', { default: -1, ignorable: true }),
    topics: f.array('0+', {
      topic: f.string('0-12', { ignorable: true }),
      topicId: f.uuid('13+', { ignorable: true }),
      partitions: f.array('0+', {
        partition: f.int32('0+'),
        currentLeaderEpoch: f.int32('9+', { default: -1, ignorable: true }),
        fetchOffset: f.int64('0+'),
        lastFetchedEpoch: f.int32('12+', { default: -1 }),
        logStartOffset: f.int64('5+', { default: -1, ignorable: true }),
        partitionMaxBytes: f.int32('0+'),
        replicaDirectoryId: f.uuid('17+', { tag: 0, tagged: '17+', ignorable: true }),
        highWatermark: f.int64('18+', { default: 2 ** 63, tag: 1, tagged: '18+', ignorable: true }),
      }),
    }),
    forgottenTopicsData: f.array('7+', {
      topic: f.string('7-12', { ignorable: true }),
      topicId: f.uuid('13+', { ignorable: true }),
      partitions: f.array('7+', 'int32'),
    }),
    rackId: f.string('11+', { ignorable: true }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('1+', { ignorable: true }),
    errorCode: f.int16('7+', { ignorable: true }),
    sessionId: f.int32('7+'),
    responses: f.array('0+', {
      topic: f.string('0-12', { ignorable: true }),
      topicId: f.uuid('13+', { ignorable: true }),
      partitions: f.array('0+', {
        partitionIndex: f.int32('0+'),
        errorCode: f.int16('0+'),
        highWatermark: f.int64('0+'),
        lastStableOffset: f.int64('4+', { default: -1, ignorable: true }),
        logStartOffset: f.int64('5+', { default: -1, ignorable: true }),
        divergingEpoch: f.struct(
          '12+',
          {
            epoch: f.int32('12+', { default: -1 }),
            endOffset: f.int64('12+', { default: -1 }),
          },
          { tag: 0, tagged: '12+' },
        ),
        currentLeader: f.struct(
          '12+',
          {
            leaderId: f.int32('12+', { default: -1 }),
            leaderEpoch: f.int32('12+', { default: -1 }),
          },
          { tag: 1, tagged: '12+' },
        ),
        snapshotId: f.struct(
          '12+',
          {
            endOffset: f.int64('0+', { default: -1 }),
            epoch: f.int32('0+', { default: -1 }),
          },
          { tag: 2, tagged: '12+' },
        ),
        abortedTransactions: f.array(
          '4+',
          {
            producerId: f.int64('4+'),
            firstOffset: f.int64('4+'),
          },
          { nullable: '4+', ignorable: true },
        ),
        preferredReadReplica: f.int32('11+', { default: -1 }),
        records: f.records('0+', { nullable: '0+' }),
      }),
    }),
    nodeEndpoints: f.array(
      '16+',
      {
        nodeId: f.int32('16+'),
        host: f.string('16+'),
        port: f.int32('16+'),
        rack: f.string('16+', { nullable: '16+', default: null }),
      },
      { tag: 0, tagged: '16+' },
    ),
  }),
});
