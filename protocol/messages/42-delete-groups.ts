// DeleteGroups (key 42). v0 and v1 are identical on the wire; v2 is the first flexible version;
// v3 adds a per-group errorMessage (KAFKA-20620). Each group gets its own error code.
import { api, f } from '../schema.js';

export const DeleteGroups = api({
  apiKey: 42,
  name: 'DeleteGroups',
  validVersions: '0-3',
  flexibleVersions: '2+',
  request: () => ({
    groupsNames: f.array('0+', 'string'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    results: f.array('0+', {
      groupId: f.string('0+'),
      errorCode: f.int16('0+'),
      errorMessage: f.string('3+', { nullable: '3+', default: null, ignorable: true }),
    }),
  }),
});
