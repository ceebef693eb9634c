// Produce (key 0). v3 adds transactionalId and requires record batch format v2; v5 returns
// logStartOffset, v8 per-record errors and an error message; v9 is the first flexible version;
// v10 adds the tagged currentLeader / nodeEndpoints leader hints (KIP-951); v11 may return
// TRANSACTION_ABORTABLE (KIP-890); v12 is transactions v2 (KIP-890 part 2, same layout); v13
// names topics by topicId instead of name (KIP-516). Kafka 4.0 dropped v0-2 from its schema
// (KIP-896; it still advertises 0 for KAFKA-18659); we keep them, as Kafka 3.9.1 defines them,
// with 3.9.1's deprecatedVersions.
import { api, f } from '../schema.js';

export const Produce = api({
  apiKey: 0,
  name: 'Produce',
  validVersions: '0-13',
  flexibleVersions: '9+',
  deprecatedVersions: '0-2',
  request: () => ({
    transactionalId: f.string('3+', { nullable: '3+', default: null }),
    acks: f.int16('0+'),
    timeoutMs: f.int32('0+'),
    topicData: f.array('0+', {
      name: f.string('0-12', { ignorable: true }),
      topicId: f.uuid('13+', { ignorable: true }),
      partitionData: f.array('0+', { index: f.int32('0+'), records: f.records('0+', { nullable: '0+' }) }),
    }),
  }),
  response: () => ({
    responses: f.array('0+', {
      name: f.string('0-12', { ignorable: true }),
      topicId: f.uuid('13+', { ignorable: true }),
      partitionResponses: f.array('0+', {
        index: f.int32('0+'),
        errorCode: f.int16('0+'),
        baseOffset: f.int64('0+'),
        logAppendTimeMs: f.int64('2+', { default: -1, ignorable: true }),
        logStartOffset: f.int64('5+', { default: -1, ignorable: true }),
        recordErrors: f.array(
          '8+',
          {
            batchIndex: f.int32('8+'),
            batchIndexErrorMessage: f.string('8+', { nullable: '8+', default: null }),
          },
          { ignorable: true },
        ),
        errorMessage: f.string('8+', { nullable: '8+', default: null, ignorable: true }),
        currentLeader: f.struct(
          '10+',
          {
            leaderId: f.int32('10+', { default: -1 }),
            leaderEpoch: f.int32('10+', { default: -1 }),
          },
          { tag: 0, tagged: '10+' },
        ),
      }),
    }),
    throttleTimeMs: f.int32('1+', { ignorable: true }),
    nodeEndpoints: f.array(
      '10+',
      {
        nodeId: f.int32('10+'),
        host: f.string('10+'),
        port: f.int32('10+'),
        rack: f.string('10+', { nullable: '10+', default: null }),
      },
      { tag: 0, tagged: '10+' },
    ),
  }),
});
