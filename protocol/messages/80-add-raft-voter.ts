// AddRaftVoter (key 80, KIP-853): adds a controller to a dynamic KRaft quorum; a broker
// forwards it to the controller. Flexible from v0; v1 adds ackWhenCommitted.
import { api, f } from '../schema.js';

export const AddRaftVoter = api({
  apiKey: 80,
  name: 'AddRaftVoter',
  validVersions: '0-1',
  flexibleVersions: '0+',
  request: () => ({
    clusterId: f.string('0+', { nullable: '0+' }),
    timeoutMs: f.int32('0+'),
    voterId: f.int32('0+'),
    voterDirectoryId: f.uuid('0+'),
    listeners: f.array('0+', {
      name: f.string('0+'),
      host: f.string('0+'),
      port: f.uint16('0+'),
    }),
    ackWhenCommitted: f.bool('1+', { default: true }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    errorMessage: f.string('0+', { nullable: '0+', ignorable: true }),
  }),
});
