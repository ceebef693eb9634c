// UnregisterBroker (key 64, KIP-500): an admin removes a broker's registration from the KRaft
// controller; a broker forwards it. Only v0, flexible. Admin-only; a single-node broker has no
// other broker to unregister.
import { api, f } from '../schema.js';

export const UnregisterBroker = api({
  apiKey: 64,
  name: 'UnregisterBroker',
  validVersions: '0',
  flexibleVersions: '0+',
  request: () => ({
    brokerId: f.int32('0+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    errorMessage: f.string('0+', { nullable: '0+' }),
  }),
});
