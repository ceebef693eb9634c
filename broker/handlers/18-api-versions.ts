// ApiVersions (key 18), v0-4.
//
// Behaviour: lists every API of the registry (broker/handlers/index.ts) with the versions
// served there (nothing is advertised that isn't implemented, and never an unstable top
// version). A request at a version we don't serve is answered by the dispatcher with a v0
// body, UNSUPPORTED_VERSION and our ApiVersions range. v3+ client software name and version
// must match Kafka's pattern, else INVALID_REQUEST. No features are advertised, so clients
// use their pre-KIP-890 transaction protocol, as against a broker without finalized features.

import { ErrorCode } from '../../protocol/errors.js';
import { ApiVersions } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';

const SOFTWARE = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

export default defineHandler({
  api: ApiVersions,
  handle(req, ctx) {
    if (ctx.apiVersion >= 3 && (!SOFTWARE.test(req.clientSoftwareName) || !SOFTWARE.test(req.clientSoftwareVersion))) {
      return { errorCode: ErrorCode.INVALID_REQUEST, apiKeys: [], throttleTimeMs: 0 };
    }
    return { errorCode: 0, apiKeys: ctx.broker.dispatcher.served(), throttleTimeMs: 0 };
  },
});
