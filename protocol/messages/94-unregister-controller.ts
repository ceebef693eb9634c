// UnregisterController (key 94): an admin removes a controller's registration from the KRaft
// quorum; a broker forwards it. Only v0, flexible. Admin-only; a single node has nothing to
// unregister.
import { api, f } from '../schema.js';

export const UnregisterController = api({
  apiKey: 94,
  name: 'UnregisterController',
  validVersions: '0',
  flexibleVersions: '0+',
  request: () => ({
    controllerId: f.int32('0+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    errorMessage: f.string('0+', { nullable: '0+' }),
  }),
});
