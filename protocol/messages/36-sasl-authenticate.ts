// SaslAuthenticate (key 36): carries SASL tokens after SaslHandshake v1. v1 adds
// SessionLifetimeMs for re-authentication (KIP-368); v2 is the first flexible version.
import { api, f } from '../schema.js';

export const SaslAuthenticate = api({
  apiKey: 36,
  name: 'SaslAuthenticate',
  validVersions: '0-2',
  flexibleVersions: '2+',
  request: () => ({
    authBytes: f.bytes('0+'),
  }),
  response: () => ({
    errorCode: f.int16('0+'),
    errorMessage: f.string('0+', { nullable: '0+' }),
    authBytes: f.bytes('0+'),
    sessionLifetimeMs: f.int64('1+', { ignorable: true }),
  }),
});
