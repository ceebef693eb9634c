// DescribeLogDirs (key 35). v0 was dropped by Kafka 4.0 (KIP-896; kept here as Kafka 3.9.1
// defines it, deprecated); v2 is the first flexible version, v3 adds a top-level error code, v4
// the TotalBytes/UsableBytes of each directory and v5 whether it is cordoned (Kafka 4.3). The
// request is the same from v2 on.
import { api, f } from '../schema.js';

export const DescribeLogDirs = api({
  apiKey: 35,
  name: 'DescribeLogDirs',
  validVersions: '0-5',
  flexibleVersions: '2+',
  deprecatedVersions: '0',
  request: () => ({
    topics: f.array(
      '0+',
      {
        topic: f.string('0+'),
        partitions: f.array('0+', 'int32'),
      },
      { nullable: '0+' },
    ),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('3+', { ignorable: true }),
    results: f.array('0+', {
      errorCode: f.int16('0+'),
      logDir: f.string('0+'),
      topics: f.array('0+', {
        name: f.string('0+'),
        partitions: f.array('0+', {
          partitionIndex: f.int32('0+'),
          partitionSize: f.int64('0+'),
          offsetLag: f.int64('0+'),
          isFutureKey: f.bool('0+'),
        }),
      }),
      totalBytes: f.int64('4+', { default: -1, ignorable: true }),
      usableBytes: f.int64('4+', { default: -1, ignorable: true }),
      isCordoned: f.bool('5+', { ignorable: true }),
    }),
  }),
});
