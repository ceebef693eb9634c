// RemoveRaftVoter (key 81, KIP-853): removes a controller from a dynamic KRaft quorum; a broker
// forwards it to the controller. Only v0, flexible.
import { api, f } from '../schema.js';

export const RemoveRaftVoter = api({
  apiKey: 81,
  name: 'RemoveRaftVoter',
  validVersions: '0',
  flexibleVersions: '0+',
  request: () => ({
    clusterId: f.string('0+', { nullable: '0+' }),
    voterId: f.int32('0+'),
    voterDirectoryId: f.uuid('0+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    errorMessage: f.string('0+', { nullable: '0+', ignorable: true }),
  }),
});
