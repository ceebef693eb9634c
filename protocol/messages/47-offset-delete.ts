// OffsetDelete (key 47). A single, non-flexible version (KIP-496): delete committed offsets
// of one group for the given partitions; the group must not be subscribed to those topics.
import { api, f } from '../schema.js';

export const OffsetDelete = api({
  apiKey: 47,
  name: 'OffsetDelete',
  validVersions: '0',
  flexibleVersions: 'none',
  request: () => ({
    groupId: f.string('0+'),
    topics: f.array('0+', { name: f.string('0+'), partitions: f.array('0+', { partitionIndex: f.int32('0+') }) }),
  }),
  response: () => ({
    errorCode: f.int16('0+'),
    throttleTimeMs: f.int32('0+', { ignorable: true }),
    topics: f.array('0+', {
      name: f.string('0+'),
      partitions: f.array('0+', { partitionIndex: f.int32('0+'), errorCode: f.int16('0+') }),
    }),
  }),
});
