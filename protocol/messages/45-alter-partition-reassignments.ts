// AlterPartitionReassignments (key 45, KIP-455): flexible from v0. A null Replicas list cancels
// a reassignment in progress. v1 adds allowReplicationFactorChange (KIP-860).
import { api, f } from '../schema.js';

export const AlterPartitionReassignments = api({
  apiKey: 45,
  name: 'AlterPartitionReassignments',
  validVersions: '0-1',
  flexibleVersions: '0+',
  request: () => ({
    timeoutMs: f.int32('0+', { default: 60000 }),
    allowReplicationFactorChange: f.bool('1+', { default: true }),
    topics: f.array('0+', {
      name: f.string('0+'),
      partitions: f.array('0+', {
        partitionIndex: f.int32('0+'),
        replicas: f.array('0+', 'int32', { nullable: '0+', default: null }),
      }),
    }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    allowReplicationFactorChange: f.bool('1+', { default: true, ignorable: true }),
    errorCode: f.int16('0+'),
    errorMessage: f.string('0+', { nullable: '0+' }),
    responses: f.array('0+', {
      name: f.string('0+'),
      partitions: f.array('0+', {
        partitionIndex: f.int32('0+'),
        errorCode: f.int16('0+'),
        errorMessage: f.string('0+', { nullable: '0+' }),
      }),
    }),
  }),
});
