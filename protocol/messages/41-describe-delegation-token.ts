// DescribeDelegationToken (key 41). v0 is deprecated, v2 is the first flexible version, v3
// reports the token requester of each token.
// Kafka 4.0 dropped v0 (KIP-896); we keep it as Kafka 3.9.1 defines it.
import { api, f } from '../schema.js';

export const DescribeDelegationToken = api({
  apiKey: 41,
  name: 'DescribeDelegationToken',
  validVersions: '0-3',
  flexibleVersions: '2+',
  deprecatedVersions: '0',
  request: () => ({
    owners: f.array(
      '0+',
      {
        principalType: f.string('0+'),
        principalName: f.string('0+'),
      },
      { nullable: '0+' },
    ),
  }),
  response: () => ({
    errorCode: f.int16('0+'),
    tokens: f.array('0+', {
      principalType: f.string('0+'),
      principalName: f.string('0+'),
      tokenRequesterPrincipalType: f.string('3+'),
      tokenRequesterPrincipalName: f.string('3+'),
      issueTimestamp: f.int64('0+'),
      expiryTimestamp: f.int64('0+'),
      maxTimestamp: f.int64('0+'),
      tokenId: f.string('0+'),
      hmac: f.bytes('0+'),
      renewers: f.array('0+', {
        principalType: f.string('0+'),
        principalName: f.string('0+'),
      }),
    }),
    throttleTimeMs: f.int32('0+'),
  }),
});
