// AlterUserScramCredentials (key 51, KIP-554): only v0, flexible; upserts carry salted
// passwords, deletions name a user and mechanism.
import { api, f } from '../schema.js';

export const AlterUserScramCredentials = api({
  apiKey: 51,
  name: 'AlterUserScramCredentials',
  validVersions: '0',
  flexibleVersions: '0+',
  request: () => ({
    deletions: f.array('0+', {
      name: f.string('0+'),
      mechanism: f.int8('0+'),
    }),
    upsertions: f.array('0+', {
      name: f.string('0+'),
      mechanism: f.int8('0+'),
      iterations: f.int32('0+'),
      salt: f.bytes('0+'),
      saltedPassword: f.bytes('0+'),
    }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    results: f.array('0+', {
      user: f.string('0+'),
      errorCode: f.int16('0+'),
      errorMessage: f.string('0+', { nullable: '0+' }),
    }),
  }),
});
