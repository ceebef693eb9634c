// AlterReplicaLogDirs (key 34): move replicas between a broker's log directories. v0 is
// deprecated, v1 only changes throttling, v2 is the first flexible version.
// Kafka 4.0 dropped v0 (KIP-896); we keep it as Kafka 3.9.1 defines it.
import { api, f } from '../schema.js';

export const AlterReplicaLogDirs = api({
  apiKey: 34,
  name: 'AlterReplicaLogDirs',
  validVersions: '0-2',
  flexibleVersions: '2+',
  deprecatedVersions: '0',
  request: () => ({
    dirs: f.array('0+', {
      path: f.string('0+'),
      topics: f.array('0+', {
        name: f.string('0+'),
        partitions: f.array('0+', 'int32'),
      }),
    }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    results: f.array('0+', {
      topicName: f.string('0+'),
      partitions: f.array('0+', {
        partitionIndex: f.int32('0+'),
        errorCode: f.int16('0+'),
      }),
    }),
  }),
});
