// ListConfigResources (key 74), called ListClientMetricsResources until Kafka 4.1 (KIP-1142).
// Flexible from v0. v0 lists only client-metrics resources (KIP-714) and has an empty request;
// v1 adds a ResourceTypes filter (empty = every type) and returns each resource's type
// (16 = client metrics, the only kind v0 can return).
import { api, f } from '../schema.js';

export const ListConfigResources = api({
  apiKey: 74,
  name: 'ListConfigResources',
  validVersions: '0-1',
  flexibleVersions: '0+',
  request: () => ({
    resourceTypes: f.array('1+', 'int8'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    configResources: f.array('0+', {
      resourceName: f.string('0+'),
      resourceType: f.int8('1+', { default: 16, ignorable: true }),
    }),
  }),
});
