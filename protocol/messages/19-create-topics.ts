// CreateTopics (key 19). v1 adds validateOnly (v0-1 deprecated); v4 lets numPartitions and
// replicationFactor be -1 (broker defaults); v5 is flexible and echoes the created topic's
// partitions, replication factor and configs; v7 returns the new topic id.
// Kafka 4.0 dropped v0-1 (KIP-896); we keep them as Kafka 3.9.1 defines them.
import { api, f } from '../schema.js';

export const CreateTopics = api({
  apiKey: 19,
  name: 'CreateTopics',
  validVersions: '0-7',
  flexibleVersions: '5+',
  deprecatedVersions: '0-1',
  request: () => ({
    topics: f.array('0+', {
      name: f.string('0+'),
      numPartitions: f.int32('0+'),
      replicationFactor: f.int16('0+'),
      assignments: f.array('0+', { partitionIndex: f.int32('0+'), brokerIds: f.array('0+', 'int32') }),
      configs: f.array('0+', { name: f.string('0+'), value: f.string('0+', { nullable: '0+' }) }),
    }),
    timeoutMs: f.int32('0+', { default: 60000 }),
    validateOnly: f.bool('1+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('2+', { ignorable: true }),
    topics: f.array('0+', {
      name: f.string('0+'),
      topicId: f.uuid('7+', { ignorable: true }),
      errorCode: f.int16('0+'),
      errorMessage: f.string('1+', { nullable: '0+', ignorable: true }),
      topicConfigErrorCode: f.int16('5+', { tag: 0, tagged: '5+', ignorable: true }),
      numPartitions: f.int32('5+', { default: -1, ignorable: true }),
      replicationFactor: f.int16('5+', { default: -1, ignorable: true }),
      configs: f.array(
        '5+',
        {
          name: f.string('5+'),
          value: f.string('5+', { nullable: '5+' }),
          readOnly: f.bool('5+'),
          configSource: f.int8('5+', { default: -1, ignorable: true }),
          isSensitive: f.bool('5+'),
        },
        { nullable: '5+', ignorable: true },
      ),
    }),
  }),
});
