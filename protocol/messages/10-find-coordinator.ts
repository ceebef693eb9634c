// FindCoordinator (key 10). v1 adds keyType (0 group, 1 transaction); v3 is
// flexible; v4 batches lookups: coordinatorKeys in, a coordinators array out, replacing the
// single key/nodeId/host/port fields; v6 adds keyType 2 for share groups.
import { api, f } from '../schema.js';

export const FindCoordinator = api({
  apiKey: 10,
  name: 'FindCoordinator',
  validVersions: '0-6',
  flexibleVersions: '3+',
  request: () => ({
    key: f.string('0-3'),
    keyType: f.int8('1+'),
    coordinatorKeys: f.array('4+', 'string'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('1+', { ignorable: true }),
    errorCode: f.int16('0-3'),
    errorMessage: f.string('1-3', { nullable: '1-3', ignorable: true }),
    nodeId: f.int32('0-3'),
    host: f.string('0-3'),
    port: f.int32('0-3'),
    coordinators: f.array('4+', {
      key: f.string('4+'),
      nodeId: f.int32('4+'),
      host: f.string('4+'),
      port: f.int32('4+'),
      errorCode: f.int16('4+'),
      errorMessage: f.string('4+', { nullable: '4+', ignorable: true }),
    }),
  }),
});
