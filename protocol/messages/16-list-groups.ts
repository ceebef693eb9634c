// ListGroups (key 16). v3 is the first flexible version; v4 adds statesFilter and returns
// each group's state (KIP-518); v5 adds typesFilter and each group's type (classic or
// consumer, KIP-848).
import { api, f } from '../schema.js';

export const ListGroups = api({
  apiKey: 16,
  name: 'ListGroups',
  validVersions: '0-5',
  flexibleVersions: '3+',
  request: () => ({
    statesFilter: f.array('4+', 'string'),
    typesFilter: f.array('5+', 'string'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('1+', { ignorable: true }),
    errorCode: f.int16('0+'),
    groups: f.array('0+', {
      groupId: f.string('0+'),
      protocolType: f.string('0+'),
      groupState: f.string('4+', { ignorable: true }),
      groupType: f.string('5+', { ignorable: true }),
    }),
  }),
});
