// ListClientMetricsResources (key 74, KIP-714): names of client-metrics config resources.
// Only v0, flexible; the request body is empty.
import { api, f } from '../schema.js';

export const ListClientMetricsResources = api({
  apiKey: 74,
  name: 'ListClientMetricsResources',
  validVersions: '0',
  flexibleVersions: '0+',
  request: {},
  response: {
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    clientMetricsResources: f.array('0+', {
      name: f.string('0+'),
    }),
  },
});
