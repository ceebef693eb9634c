// DescribeClientQuotas (key 48, KIP-546): quotas matching entity filters. v1 is the first
// flexible version.
import { api, f } from '../schema.js';

export const DescribeClientQuotas = api({
  apiKey: 48,
  name: 'DescribeClientQuotas',
  validVersions: '0-1',
  flexibleVersions: '1+',
  request: () => ({
    components: f.array('0+', {
      entityType: f.string('0+'),
      matchType: f.int8('0+'),
      match: f.string('0+', { nullable: '0+' }),
    }),
    strict: f.bool('0+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    errorMessage: f.string('0+', { nullable: '0+' }),
    entries: f.array(
      '0+',
      {
        entity: f.array('0+', {
          entityType: f.string('0+'),
          entityName: f.string('0+', { nullable: '0+' }),
        }),
        values: f.array('0+', {
          key: f.string('0+'),
          value: f.float64('0+'),
        }),
      },
      { nullable: '0+' },
    ),
  }),
});
