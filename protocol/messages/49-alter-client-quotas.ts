// AlterClientQuotas (key 49, KIP-546): set or remove quota values per entity. v1 is the first
// flexible version.
import { api, f } from '../schema.js';

export const AlterClientQuotas = api({
  apiKey: 49,
  name: 'AlterClientQuotas',
  validVersions: '0-1',
  flexibleVersions: '1+',
  request: () => ({
    entries: f.array('0+', {
      entity: f.array('0+', {
        entityType: f.string('0+'),
        entityName: f.string('0+', { nullable: '0+' }),
      }),
      ops: f.array('0+', {
        key: f.string('0+'),
        value: f.float64('0+'),
        remove: f.bool('0+'),
      }),
    }),
    validateOnly: f.bool('0+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    entries: f.array('0+', {
      errorCode: f.int16('0+'),
      errorMessage: f.string('0+', { nullable: '0+' }),
      entity: f.array('0+', {
        entityType: f.string('0+'),
        entityName: f.string('0+', { nullable: '0+' }),
      }),
    }),
  }),
});
