// LeaveGroup (key 13), classic group protocol. v0-2 remove one member by memberId; v3 turns
// the request into a batch of members (memberId + groupInstanceId) with per-member errors in
// the response; v4 is flexible; v5 adds a per-member reason.
import { api, f } from '../schema.js';

export const LeaveGroup = api({
  apiKey: 13,
  name: 'LeaveGroup',
  validVersions: '0-5',
  flexibleVersions: '4+',
  request: () => ({
    groupId: f.string('0+'),
    memberId: f.string('0-2'),
    members: f.array('3+', {
      memberId: f.string('3+'),
      groupInstanceId: f.string('3+', { nullable: '3+', default: null }),
      reason: f.string('5+', { nullable: '5+', default: null, ignorable: true }),
    }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('1+', { ignorable: true }),
    errorCode: f.int16('0+'),
    members: f.array('3+', {
      memberId: f.string('3+'),
      groupInstanceId: f.string('3+', { nullable: '3+' }),
      errorCode: f.int16('3+'),
    }),
  }),
});
