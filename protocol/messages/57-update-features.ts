// UpdateFeatures (key 57, KIP-584): all versions flexible. v1 replaces AllowDowngrade with
// UpgradeType and adds ValidateOnly; v2 drops the per-feature results from the response.
import { api, f } from '../schema.js';

export const UpdateFeatures = api({
  apiKey: 57,
  name: 'UpdateFeatures',
  validVersions: '0-2',
  flexibleVersions: '0+',
  request: () => ({
    timeoutMs: f.int32('0+', { default: 60000 }),
    featureUpdates: f.array('0+', {
      feature: f.string('0+'),
      maxVersionLevel: f.int16('0+'),
      allowDowngrade: f.bool('0'),
      upgradeType: f.int8('1+', { default: 1 }),
    }),
    validateOnly: f.bool('1+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    errorMessage: f.string('0+', { nullable: '0+' }),
    results: f.array(
      '0-1',
      {
        feature: f.string('0+'),
        errorCode: f.int16('0+'),
        errorMessage: f.string('0+', { nullable: '0+' }),
      },
      { ignorable: true },
    ),
  }),
});
