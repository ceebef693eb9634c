// DescribeUserScramCredentials (key 50, KIP-554): only v0, flexible. Null Users means all users;
// only mechanism and iteration count are returned, never the secrets.
import { api, f } from '../schema.js';

export const DescribeUserScramCredentials = api({
  apiKey: 50,
  name: 'DescribeUserScramCredentials',
  validVersions: '0',
  flexibleVersions: '0+',
  request: () => ({
    users: f.array(
      '0+',
      {
        name: f.string('0+'),
      },
      { nullable: '0+' },
    ),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    errorMessage: f.string('0+', { nullable: '0+' }),
    results: f.array('0+', {
      user: f.string('0+'),
      errorCode: f.int16('0+'),
      errorMessage: f.string('0+', { nullable: '0+' }),
      credentialInfos: f.array('0+', {
        mechanism: f.int8('0+'),
        iterations: f.int32('0+'),
      }),
    }),
  }),
});
