// DeleteAcls (key 31). v0 is deprecated; v1 adds the pattern type filter, v2 is the first
// flexible version, v3 allows the USER resource type.
// Kafka 4.0 dropped v0 (KIP-896); we keep it as Kafka 3.9.1 defines it.
import { api, f } from '../schema.js';

export const DeleteAcls = api({
  apiKey: 31,
  name: 'DeleteAcls',
  validVersions: '0-3',
  flexibleVersions: '2+',
  deprecatedVersions: '0',
  request: () => ({
    filters: f.array('0+', {
      resourceTypeFilter: f.int8('0+'),
      resourceNameFilter: f.string('0+', { nullable: '0+' }),
      patternTypeFilter: f.int8('1+', { default: 3 }),
      principalFilter: f.string('0+', { nullable: '0+' }),
      hostFilter: f.string('0+', { nullable: '0+' }),
      operation: f.int8('0+'),
      permissionType: f.int8('0+'),
    }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    filterResults: f.array('0+', {
      errorCode: f.int16('0+'),
      errorMessage: f.string('0+', { nullable: '0+' }),
      matchingAcls: f.array('0+', {
        errorCode: f.int16('0+'),
        errorMessage: f.string('0+', { nullable: '0+' }),
        resourceType: f.int8('0+'),
        resourceName: f.string('0+'),
        patternType: f.int8('1+', { default: 3 }),
        principal: f.string('0+'),
        host: f.string('0+'),
        operation: f.int8('0+'),
        permissionType: f.int8('0+'),
      }),
    }),
  }),
});
