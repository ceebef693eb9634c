// DescribeAcls (key 29). v0 is deprecated; v1 adds the pattern type filter (prefixed ACLs),
// v2 is the first flexible version, v3 allows the USER resource type.
// Kafka 4.0 dropped v0 (KIP-896); we keep it as Kafka 3.9.1 defines it.
import { api, f } from '../schema.js';

export const DescribeAcls = api({
  apiKey: 29,
  name: 'DescribeAcls',
  validVersions: '0-3',
  flexibleVersions: '2+',
  deprecatedVersions: '0',
  request: () => ({
    resourceTypeFilter: f.int8('0+'),
    resourceNameFilter: f.string('0+', { nullable: '0+' }),
    patternTypeFilter: f.int8('1+', { default: 3 }),
    principalFilter: f.string('0+', { nullable: '0+' }),
    hostFilter: f.string('0+', { nullable: '0+' }),
    operation: f.int8('0+'),
    permissionType: f.int8('0+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    errorMessage: f.string('0+', { nullable: '0+' }),
    resources: f.array('0+', {
      resourceType: f.int8('0+'),
      resourceName: f.string('0+'),
      patternType: f.int8('1+', { default: 3 }),
      acls: f.array('0+', {
        principal: f.string('0+'),
        host: f.string('0+'),
        operation: f.int8('0+'),
        permissionType: f.int8('0+'),
      }),
    }),
  }),
});
