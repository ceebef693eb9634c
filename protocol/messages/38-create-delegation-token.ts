// CreateDelegationToken (key 38). v0 is deprecated, v2 is the first flexible version, v3 lets
// the caller name the token owner and echoes the requester in the response.
// Kafka 4.0 dropped v0 (KIP-896); we keep it as Kafka 3.9.1 defines it.
import { api, f } from '../schema.js';

export const CreateDelegationToken = api({
  apiKey: 38,
  name: 'CreateDelegationToken',
  validVersions: '0-3',
  flexibleVersions: '2+',
  deprecatedVersions: '0',
  request: () => ({
    ownerPrincipalType: f.string('3+', { nullable: '3+' }),
    ownerPrincipalName: f.string('3+', { nullable: '3+' }),
    renewers: f.array('0+', {
      principalType: f.string('0+'),
      principalName: f.string('0+'),
    }),
    maxLifetimeMs: f.int64('0+'),
  }),
  response: () => ({
    errorCode: f.int16('0+'),
    principalType: f.string('0+'),
    principalName: f.string('0+'),
    tokenRequesterPrincipalType: f.string('3+'),
    tokenRequesterPrincipalName: f.string('3+'),
    issueTimestampMs: f.int64('0+'),
    expiryTimestampMs: f.int64('0+'),
    maxTimestampMs: f.int64('0+'),
    tokenId: f.string('0+'),
    hmac: f.bytes('0+'),
    throttleTimeMs: f.int32('0+'),
  }),
});
