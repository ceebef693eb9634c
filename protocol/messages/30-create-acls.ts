// CreateAcls (key 30). v0 is deprecated; v1 adds the resource pattern type, v2 is the first
// flexible version, v3 allows the USER resource type.
// Kafka 4.0 dropped v0 (KIP-896); we keep it as Kafka 3.9.1 defines it.
import { api, f } from '../schema.js';

export const CreateAcls = api({
  apiKey: 30,
  name: 'CreateAcls',
  validVersions: '0-3',
  flexibleVersions: '2+',
  deprecatedVersions: '0',
  request: () => ({
    creations: f.array('0+', {
      resourceType: f.int8('0+'),
      resourceName: f.string('0+'),
      resourcePatternType: f.int8('1+', { default: 3 }),
      principal: f.string('0+'),
      host: f.string('0+'),
      operation: f.int8('0+'),
      permissionType: f.int8('0+'),
    }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    results: f.array('0+', {
      errorCode: f.int16('0+'),
      errorMessage: f.string('0+', { nullable: '0+' }),
    }),
  }),
});
