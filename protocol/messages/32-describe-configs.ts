// DescribeConfigs (key 32). v0 (deprecated) reports IsDefault; v1 replaces it with ConfigSource
// and adds synonyms (on request), v3 adds config type and documentation, v4 is the first
// flexible version. AdminClient and kafka-configs.sh use it to show topic and broker configs.
// Kafka 4.0 dropped v0 (KIP-896); we keep it as Kafka 3.9.1 defines it.
import { api, f } from '../schema.js';

export const DescribeConfigs = api({
  apiKey: 32,
  name: 'DescribeConfigs',
  validVersions: '0-4',
  flexibleVersions: '4+',
  deprecatedVersions: '0',
  request: () => ({
    resources: f.array('0+', {
      resourceType: f.int8('0+'),
      resourceName: f.string('0+'),
      configurationKeys: f.array('0+', 'string', { nullable: '0+' }),
    }),
    includeSynonyms: f.bool('1+'),
    includeDocumentation: f.bool('3+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    results: f.array('0+', {
      errorCode: f.int16('0+'),
      errorMessage: f.string('0+', { nullable: '0+' }),
      resourceType: f.int8('0+'),
      resourceName: f.string('0+'),
      configs: f.array('0+', {
        name: f.string('0+'),
        value: f.string('0+', { nullable: '0+' }),
        readOnly: f.bool('0+'),
        isDefault: f.bool('0'),
        configSource: f.int8('1+', { default: -1, ignorable: true }),
        isSensitive: f.bool('0+'),
        synonyms: f.array(
          '1+',
          {
            name: f.string('1+'),
            value: f.string('1+', { nullable: '0+' }),
            source: f.int8('1+'),
          },
          { ignorable: true },
        ),
        configType: f.int8('3+', { ignorable: true }),
        documentation: f.string('3+', { nullable: '0+', ignorable: true }),
      }),
    }),
  }),
});
