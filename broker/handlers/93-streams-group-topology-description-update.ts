// StreamsGroupTopologyDescriptionUpdate (key 93), v0 (KIP-1331): a streams member sends its
// topology's description when a StreamsGroupHeartbeat v1 answer asked for it.
//
// Behaviour (Kafka's GroupCoordinatorService.streamsGroupTopologyDescriptionUpdate): the
// descriptions are kept by a broker plugin (group.streams.topology.description.plugin.class).
// Without one, which is Kafka's default and kafkalite's only setting, every request is refused
// with UNSUPPORTED_VERSION and Kafka's message before anything else is looked at, and heartbeats
// never ask for a description.

import { ErrorCode } from '../../protocol/errors.js';
import { StreamsGroupTopologyDescriptionUpdate } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: StreamsGroupTopologyDescriptionUpdate,
  handle() {
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.UNSUPPORTED_VERSION,
      errorMessage: 'The broker has no streams group topology description plugin configured.',
    };
  },
});
