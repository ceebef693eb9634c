// Requests no broker should serve: versions beyond every range, versions Kafka 4 removed
// (KIP-896), an API key that does not exist. Kafka closes the connection without an answer;
// the next step then opens a new one.

import { ApiVersions, Fetch, JoinGroup, ListOffsets, Metadata, OffsetCommit, Produce } from '../../../protocol/messages/index.js';
import type { ApiSpec } from '../../../protocol/schema.js';
import type { Scenario, Step } from '../oracle.js';

/** A request of `api` at a version nobody serves (an empty body): the answer is a closed connection. */
const beyond = (api: ApiSpec, v: number): Step => ({ api, v, body: {} });

/** An API key no Kafka release defines (the Metadata schema only frames the request). */
const UNKNOWN_API: ApiSpec = { ...Metadata, apiKey: 9999, name: 'Unknown' };

export const ERROR_SCENARIOS: Scenario[] = [
  {
    id: 'errors/unsupported-versions',
    api: ApiVersions,
    versions: [3],
    about: 'each request on a new connection: Kafka closes it',
    steps: [
      { ...beyond(Metadata, 99), conn: 'a' },
      { ...beyond(Produce, 99), conn: 'b' },
      { ...beyond(Fetch, 99), conn: 'c' },
      { ...beyond(JoinGroup, 99), conn: 'd' },
      { ...beyond(UNKNOWN_API, 0), conn: 'e' },
      { api: ApiVersions, conn: 'f', body: { clientSoftwareName: 'oracle', clientSoftwareVersion: '1' } },
    ],
    adjust: (k, l) => {
      // The last step only shows a new connection is served; keys and features are meta/api-versions' business.
      for (const r of [k, l]) {
        if (!Array.isArray(r.apiKeys)) continue;
        r.apiKeys = r.apiKeys.length > 0;
        for (const f of ['supportedFeatures', 'finalizedFeaturesEpoch', 'finalizedFeatures']) delete r[f];
      }
    },
  },
  {
    id: 'errors/removed-versions',
    api: Fetch,
    versions: [3],
    about: 'versions Kafka 4.0 removed (KIP-896)',
    steps: [
      { api: Fetch, conn: 'a', body: { replicaId: -1, maxWaitMs: 0, minBytes: 0, topics: [] } },
      { api: ListOffsets, v: 0, conn: 'b', body: { replicaId: -1, topics: [] } },
      { api: OffsetCommit, v: 1, conn: 'c', body: { groupId: 'g', generationIdOrMemberEpoch: -1, memberId: '', topics: [] } },
    ],
  },
];
