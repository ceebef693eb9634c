// IncrementalAlterConfigs (key 44): per-key SET/DELETE/APPEND/SUBTRACT of dynamic configs
// (KIP-339); what kafka-configs.sh --alter uses. v1 is the first flexible version.
import { api, f } from '../schema.js';

export const IncrementalAlterConfigs = api({
  apiKey: 44,
  name: 'IncrementalAlterConfigs',
  validVersions: '0-1',
  flexibleVersions: '1+',
  request: () => ({
    resources: f.array('0+', {
      resourceType: f.int8('0+'),
      resourceName: f.string('0+'),
      configs: f.array('0+', {
        name: f.string('0+'),
        configOperation: f.int8('0+'),
        value: f.string('0+', { nullable: '0+' }),
      }),
    }),
    validateOnly: f.bool('0+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    responses: f.array('0+', {
      errorCode: f.int16('0+'),
      errorMessage: f.string('0+', { nullable: '0+' }),
      resourceType: f.int8('0+'),
      resourceName: f.string('0+'),
    }),
  }),
});
