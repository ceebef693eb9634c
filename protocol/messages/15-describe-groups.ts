// DescribeGroups (key 15), classic groups. v1 adds throttle time; v3 can ask for and return
// authorized operations; v4 returns each member's groupInstanceId; v5 is flexible; v6 answers
// an unknown group with GROUP_ID_NOT_FOUND and an errorMessage (KIP-1043).
import { api, f } from '../schema.js';

export const DescribeGroups = api({
  apiKey: 15,
  name: 'DescribeGroups',
  validVersions: '0-6',
  flexibleVersions: '5+',
  request: () => ({
    groups: f.array('0+', 'string'),
    includeAuthorizedOperations: f.bool('3+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('1+', { ignorable: true }),
    groups: f.array('0+', {
      errorCode: f.int16('0+'),
      errorMessage: f.string('6+', { nullable: '6+', default: null }),
      groupId: f.string('0+'),
      groupState: f.string('0+'),
      protocolType: f.string('0+'),
      protocolData: f.string('0+'),
      members: f.array('0+', {
        memberId: f.string('0+'),
        groupInstanceId: f.string('4+', { nullable: '4+', default: null, ignorable: true }),
        clientId: f.string('0+'),
        clientHost: f.string('0+'),
        memberMetadata: f.bytes('0+'),
        memberAssignment: f.bytes('0+'),
      }),
      authorizedOperations: f.int32('3+', { default: -2147483648 }),
    }),
  }),
});
