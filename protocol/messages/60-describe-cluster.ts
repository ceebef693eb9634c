// DescribeCluster (key 60). Flexible from v0; the admin client's replacement for Metadata
// when it only needs brokers, controller and cluster id. v1 adds endpointType (1 = brokers,
// 2 = controllers, KIP-919); v2 can include fenced brokers and flags them (KIP-1073).
import { api, f } from '../schema.js';

export const DescribeCluster = api({
  apiKey: 60,
  name: 'DescribeCluster',
  validVersions: '0-2',
  flexibleVersions: '0+',
  request: () => ({
    includeClusterAuthorizedOperations: f.bool('0+'),
    endpointType: f.int8('1+', { default: 1 }),
    includeFencedBrokers: f.bool('2+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    errorMessage: f.string('0+', { nullable: '0+', default: null }),
    endpointType: f.int8('1+', { default: 1 }),
    clusterId: f.string('0+'),
    controllerId: f.int32('0+', { default: -1 }),
    brokers: f.array('0+', {
      brokerId: f.int32('0+'),
      host: f.string('0+'),
      port: f.int32('0+'),
      rack: f.string('0+', { nullable: '0+', default: null }),
      isFenced: f.bool('2+'),
    }),
    clusterAuthorizedOperations: f.int32('0+', { default: -2147483648 }),
  }),
});
