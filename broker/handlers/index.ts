// The handler list: one file per API, named by key. ApiVersions advertises exactly these,
// with the version range each declares.
import type { Handler } from '../handler.js';
import produce from './00-produce.js';
import fetch from './01-fetch.js';
import listOffsets from './02-list-offsets.js';
import metadata from './03-metadata.js';
import apiVersions from './18-api-versions.js';
import createTopics from './19-create-topics.js';
import deleteTopics from './20-delete-topics.js';
import offsetForLeaderEpoch from './23-offset-for-leader-epoch.js';
import describeCluster from './60-describe-cluster.js';

export const HANDLERS: readonly Handler[] = [
  produce,
  fetch,
  listOffsets,
  metadata,
  apiVersions,
  createTopics,
  deleteTopics,
  offsetForLeaderEpoch,
  describeCluster,
] as unknown as readonly Handler[];
