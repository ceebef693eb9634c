// DeleteTopics (key 20). v0-3 differ only in response semantics (v0 deprecated); v4 is
// flexible; v5 adds a per-topic errorMessage; v6 replaces topicNames with topics entries
// that carry a (nullable) name or a topic id.
// Kafka 4.0 dropped v0 (KIP-896); we keep it as Kafka 3.9.1 defines it.
import { api, f } from '../schema.js';

export const DeleteTopics = api({
  apiKey: 20,
  name: 'DeleteTopics',
  validVersions: '0-6',
  flexibleVersions: '4+',
  deprecatedVersions: '0',
  request: () => ({
    topics: f.array('6+', { name: f.string('6+', { nullable: '6+', default: null }), topicId: f.uuid('6+') }),
    topicNames: f.array('0-5', 'string', { ignorable: true }),
    timeoutMs: f.int32('0+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('1+', { ignorable: true }),
    responses: f.array('0+', {
      name: f.string('0+', { nullable: '6+' }),
      topicId: f.uuid('6+', { ignorable: true }),
      errorCode: f.int16('0+'),
      errorMessage: f.string('5+', { nullable: '5+', default: null, ignorable: true }),
    }),
  }),
});
