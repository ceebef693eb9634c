// ElectLeaders (key 43). v1 adds ElectionType (preferred or unclean, KIP-460) and a top-level
// error code; v2 is the first flexible version. Null TopicPartitions means every partition.
import { api, f } from '../schema.js';

export const ElectLeaders = api({
  apiKey: 43,
  name: 'ElectLeaders',
  validVersions: '0-2',
  flexibleVersions: '2+',
  request: () => ({
    electionType: f.int8('1+'),
    topicPartitions: f.array(
      '0+',
      {
        topic: f.string('0+'),
        partitions: f.array('0+', 'int32'),
      },
      { nullable: '0+' },
    ),
    timeoutMs: f.int32('0+', { default: 60000 }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('1+'),
    replicaElectionResults: f.array('0+', {
      topic: f.string('0+'),
      partitionResult: f.array('0+', {
        partitionId: f.int32('0+'),
        errorCode: f.int16('0+'),
        errorMessage: f.string('0+', { nullable: '0+' }),
      }),
    }),
  }),
});
