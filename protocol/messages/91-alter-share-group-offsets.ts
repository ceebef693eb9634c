// AlterShareGroupOffsets (key 91, KIP-932): resets an empty share group's start offsets. Only v0,
// flexible.
import { api, f } from '../schema.js';

export const AlterShareGroupOffsets = api({
  apiKey: 91,
  name: 'AlterShareGroupOffsets',
  validVersions: '0',
  flexibleVersions: '0+',
  request: () => ({
    groupId: f.string('0+'),
    topics: f.array('0+', {
      topicName: f.string('0+'),
      partitions: f.array('0+', {
        partitionIndex: f.int32('0+'),
        startOffset: f.int64('0+'),
      }),
    }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    errorMessage: f.string('0+', { nullable: '0+', default: null }),
    responses: f.array('0+', {
      topicName: f.string('0+'),
      topicId: f.uuid('0+'),
      partitions: f.array('0+', {
        partitionIndex: f.int32('0+'),
        errorCode: f.int16('0+'),
        errorMessage: f.string('0+', { nullable: '0+', default: null }),
      }),
    }),
  }),
});
