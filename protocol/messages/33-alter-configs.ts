// AlterConfigs (key 33): replace a resource's whole set of dynamic configs (the older form of
// IncrementalAlterConfigs, 44). v1 only changes throttling; v2 is the first flexible version.
import { api, f } from '../schema.js';

export const AlterConfigs = api({
  apiKey: 33,
  name: 'AlterConfigs',
  validVersions: '0-2',
  flexibleVersions: '2+',
  request: () => ({
    resources: f.array('0+', {
      resourceType: f.int8('0+'),
      resourceName: f.string('0+'),
      configs: f.array('0+', {
        name: f.string('0+'),
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
