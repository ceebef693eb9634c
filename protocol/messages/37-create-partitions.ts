// CreatePartitions (key 37): grow a topic's partition count. v2 is the first flexible version;
// v3 is the same on the wire but may answer THROTTLING_QUOTA_EXCEEDED (KIP-599).
import { api, f } from '../schema.js';

export const CreatePartitions = api({
  apiKey: 37,
  name: 'CreatePartitions',
  validVersions: '0-3',
  flexibleVersions: '2+',
  request: () => ({
    topics: f.array('0+', {
      name: f.string('0+'),
      count: f.int32('0+'),
      assignments: f.array(
        '0+',
        {
          brokerIds: f.array('0+', 'int32'),
        },
        { nullable: '0+' },
      ),
    }),
    timeoutMs: f.int32('0+'),
    validateOnly: f.bool('0+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    results: f.array('0+', {
      name: f.string('0+'),
      errorCode: f.int16('0+'),
      errorMessage: f.string('0+', { nullable: '0+', default: null }),
    }),
  }),
});
