// Heartbeat (key 12), classic group protocol. v1 adds throttle time; v3 adds
// groupInstanceId for static members; v4 is the first flexible version.
import { api, f } from '../schema.js';

export const Heartbeat = api({
  apiKey: 12,
  name: 'Heartbeat',
  validVersions: '0-4',
  flexibleVersions: '4+',
  request: () => ({
    groupId: f.string('0+'),
    generationId: f.int32('0+'),
    memberId: f.string('0+'),
    groupInstanceId: f.string('3+', { nullable: '3+', default: null }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('1+', { ignorable: true }),
    errorCode: f.int16('0+'),
  }),
});
