// SyncGroup (key 14), classic group protocol: the leader uploads assignments, every member
// gets its own back. v3 adds groupInstanceId; v4 is flexible; v5 carries protocolType and
// protocolName both ways so the broker can check they match the group's (KIP-559).
import { api, f } from '../schema.js';

export const SyncGroup = api({
  apiKey: 14,
  name: 'SyncGroup',
  validVersions: '0-5',
  flexibleVersions: '4+',
  request: () => ({
    groupId: f.string('0+'),
    generationId: f.int32('0+'),
    memberId: f.string('0+'),
    groupInstanceId: f.string('3+', { nullable: '3+', default: null }),
    protocolType: f.string('5+', { nullable: '5+', default: null, ignorable: true }),
    protocolName: f.string('5+', { nullable: '5+', default: null, ignorable: true }),
    assignments: f.array('0+', { memberId: f.string('0+'), assignment: f.bytes('0+') }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('1+', { ignorable: true }),
    errorCode: f.int16('0+'),
    protocolType: f.string('5+', { nullable: '5+', default: null, ignorable: true }),
    protocolName: f.string('5+', { nullable: '5+', default: null, ignorable: true }),
    assignment: f.bytes('0+'),
  }),
});
