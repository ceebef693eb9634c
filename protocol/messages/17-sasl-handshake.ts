// SaslHandshake (key 17). Never flexible. With v0 the client then sends bare
// SASL tokens on the socket; with v1 every token travels inside a SaslAuthenticate (36) request.
import { api, f } from '../schema.js';

export const SaslHandshake = api({
  apiKey: 17,
  name: 'SaslHandshake',
  validVersions: '0-1',
  flexibleVersions: 'none',
  request: () => ({
    mechanism: f.string('0+'),
  }),
  response: () => ({
    errorCode: f.int16('0+'),
    mechanisms: f.array('0+', 'string'),
  }),
});
