// JoinGroup (key 11), classic group protocol. v1 adds rebalanceTimeoutMs (Kafka 4.0 dropped v0-1, 4.1 restored them, KAFKA-19444);
// from v4 a member without an id is answered MEMBER_ID_REQUIRED and must rejoin with the id
// given; v5 adds static membership (groupInstanceId); v6 is flexible; v7 returns the protocol
// type; v8 adds a reason; v9 adds skipAssignment.
import { api, f } from '../schema.js';

export const JoinGroup = api({
  apiKey: 11,
  name: 'JoinGroup',
  validVersions: '0-9',
  flexibleVersions: '6+',
  request: () => ({
    groupId: f.string('0+'),
    sessionTimeoutMs: f.int32('0+'),
    rebalanceTimeoutMs: f.int32('1+', { default: -1, ignorable: true }),
    memberId: f.string('0+'),
    groupInstanceId: f.string('5+', { nullable: '5+', default: null }),
    protocolType: f.string('0+'),
    protocols: f.array('0+', { name: f.string('0+'), metadata: f.bytes('0+') }),
    reason: f.string('8+', { nullable: '8+', default: null, ignorable: true }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('2+', { ignorable: true }),
    errorCode: f.int16('0+'),
    generationId: f.int32('0+', { default: -1 }),
    protocolType: f.string('7+', { nullable: '7+', default: null, ignorable: true }),
    protocolName: f.string('0+', { nullable: '7+' }),
    leader: f.string('0+'),
    skipAssignment: f.bool('9+'),
    memberId: f.string('0+'),
    members: f.array('0+', {
      memberId: f.string('0+'),
      groupInstanceId: f.string('5+', { nullable: '5+', default: null, ignorable: true }),
      metadata: f.bytes('0+'),
    }),
  }),
});
