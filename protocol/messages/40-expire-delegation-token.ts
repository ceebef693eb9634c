// ExpireDelegationToken (key 40). v0 is deprecated; v1 only changes throttling; v2 is the first
// flexible version.
// Kafka 4.0 dropped v0 (KIP-896); we keep it as Kafka 3.9.1 defines it.
import { api, f } from '../schema.js';

export const ExpireDelegationToken = api({
  apiKey: 40,
  name: 'ExpireDelegationToken',
  validVersions: '0-2',
  flexibleVersions: '2+',
  deprecatedVersions: '0',
  request: () => ({
    hmac: f.bytes('0+'),
    expiryTimePeriodMs: f.int64('0+'),
  }),
  response: () => ({
    errorCode: f.int16('0+'),
    expiryTimestampMs: f.int64('0+'),
    throttleTimeMs: f.int32('0+'),
  }),
});
