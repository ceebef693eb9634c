// DeleteRecords (key 21): move a partition's log start offset forward. v1 only changes
// throttling (reply first, throttle after); v2 is the first flexible version.
import { api, f } from '../schema.js';

export const DeleteRecords = api({
  apiKey: 21,
  name: 'DeleteRecords',
  validVersions: '0-2',
  flexibleVersions: '2+',
  request: () => ({
    topics: f.array('0+', {
      name: f.string('0+'),
      partitions: f.array('0+', {
        partitionIndex: f.int32('0+'),
        offset: f.int64('0+'),
      }),
    }),
    timeoutMs: f.int32('0+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    topics: f.array('0+', {
      name: f.string('0+'),
      partitions: f.array('0+', {
        partitionIndex: f.int32('0+'),
        lowWatermark: f.int64('0+'),
        errorCode: f.int16('0+'),
      }),
    }),
  }),
});
