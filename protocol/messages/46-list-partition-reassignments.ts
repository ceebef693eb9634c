// ListPartitionReassignments (key 46, KIP-455): only v0, flexible. Null Topics asks for every
// reassignment in progress.
import { api, f } from '../schema.js';

export const ListPartitionReassignments = api({
  apiKey: 46,
  name: 'ListPartitionReassignments',
  validVersions: '0',
  flexibleVersions: '0+',
  request: () => ({
    timeoutMs: f.int32('0+', { default: 60000 }),
    topics: f.array(
      '0+',
      {
        name: f.string('0+'),
        partitionIndexes: f.array('0+', 'int32'),
      },
      { nullable: '0+', default: null },
    ),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    errorMessage: f.string('0+', { nullable: '0+' }),
    topics: f.array('0+', {
      name: f.string('0+'),
      partitions: f.array('0+', {
        partitionIndex: f.int32('0+'),
        replicas: f.array('0+', 'int32'),
        addingReplicas: f.array('0+', 'int32'),
        removingReplicas: f.array('0+', 'int32'),
      }),
    }),
  }),
});
