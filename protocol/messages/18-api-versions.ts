// ApiVersions (key 18). v3 is the first flexible version and adds the client software
// name/version; v4 lets SupportedFeatures.MinVersion be 0; v5 sends the clusterId and nodeId
// the client expects, so a broker can answer REBOOTSTRAP_REQUIRED (KIP-1242). The response
// header is always v0.
import { api, f } from '../schema.js';

export const ApiVersions = api({
  apiKey: 18,
  name: 'ApiVersions',
  validVersions: '0-5',
  flexibleVersions: '3+',
  request: () => ({
    clientSoftwareName: f.string('3+', { ignorable: true }),
    clientSoftwareVersion: f.string('3+', { ignorable: true }),
    clusterId: f.string('5+', { nullable: '5+', default: null, ignorable: true }),
    nodeId: f.int32('5+', { default: -1, ignorable: true }),
  }),
  response: () => ({
    errorCode: f.int16('0+'),
    apiKeys: f.array('0+', {
      apiKey: f.int16('0+'),
      minVersion: f.int16('0+'),
      maxVersion: f.int16('0+'),
    }),
    throttleTimeMs: f.int32('1+', { ignorable: true }),
    supportedFeatures: f.array(
      '3+',
      { name: f.string('3+'), minVersion: f.int16('3+'), maxVersion: f.int16('3+') },
      { tag: 0, tagged: '3+', ignorable: true },
    ),
    finalizedFeaturesEpoch: f.int64('3+', { tag: 1, tagged: '3+', default: -1, ignorable: true }),
    finalizedFeatures: f.array(
      '3+',
      { name: f.string('3+'), maxVersionLevel: f.int16('3+'), minVersionLevel: f.int16('3+') },
      { tag: 2, tagged: '3+', ignorable: true },
    ),
    zkMigrationReady: f.bool('3+', { tag: 3, tagged: '3+', default: false, ignorable: true }),
  }),
});
