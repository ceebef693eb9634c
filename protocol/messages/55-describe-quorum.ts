// DescribeQuorum (key 55): KRaft metadata quorum state. All versions flexible; v1 adds per-replica
// last fetch / caught-up timestamps (KIP-836), v2 adds error messages, the Nodes list with
// listeners and replica directory ids (KIP-853). The request is the same in every version.
import { api, f } from '../schema.js';

export const DescribeQuorum = api({
  apiKey: 55,
  name: 'DescribeQuorum',
  validVersions: '0-2',
  flexibleVersions: '0+',
  request: () => ({
    topics: f.array('0+', {
      topicName: f.string('0+'),
      partitions: f.array('0+', {
        partitionIndex: f.int32('0+'),
      }),
    }),
  }),
  response: () => ({
    errorCode: f.int16('0+'),
    errorMessage: f.string('2+', { nullable: '2+', ignorable: true }),
    topics: f.array('0+', {
      topicName: f.string('0+'),
      partitions: f.array('0+', {
        partitionIndex: f.int32('0+'),
        errorCode: f.int16('0+'),
        errorMessage: f.string('2+', { nullable: '2+', ignorable: true }),
        leaderId: f.int32('0+'),
        leaderEpoch: f.int32('0+'),
        highWatermark: f.int64('0+'),
        currentVoters: f.array('0+', {
          replicaId: f.int32('0+'),
          replicaDirectoryId: f.uuid('2+'),
          logEndOffset: f.int64('0+'),
          lastFetchTimestamp: f.int64('1+', { default: -1, ignorable: true }),
          lastCaughtUpTimestamp: f.int64('1+', { default: -1, ignorable: true }),
        }),
        observers: f.array('0+', {
          replicaId: f.int32('0+'),
          replicaDirectoryId: f.uuid('2+'),
          logEndOffset: f.int64('0+'),
          lastFetchTimestamp: f.int64('1+', { default: -1, ignorable: true }),
          lastCaughtUpTimestamp: f.int64('1+', { default: -1, ignorable: true }),
        }),
      }),
    }),
    nodes: f.array('2+', {
      nodeId: f.int32('2+'),
      listeners: f.array('2+', {
        name: f.string('2+'),
        host: f.string('2+'),
        port: f.uint16('2+'),
      }),
    }),
  }),
});
