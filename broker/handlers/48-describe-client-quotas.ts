// DescribeClientQuotas (key 48), v0-1 (KIP-546).
//
// Behaviour (Kafka's KafkaApis.handleDescribeClientQuotasRequest, ClientQuotasImage.describe):
// the quotas of every entity matching the filter. A component matches its entity type by name
// (match_type 0, EXACT), the type's default entity (1, DEFAULT, null match) or any entity having
// that type (2, SPECIFIED); strict keeps only entities made of exactly the filter's types. A bad
// filter answers a top-level error with null entries: an empty or repeated entity type, a match
// string where none belongs (or none where one does), an unknown match type (INVALID_REQUEST),
// an unknown entity type (UNSUPPORTED_VERSION), ip combined with user or client-id. Without
// SASL every connection is User:ANONYMOUS; the state is broker/quotas/store.ts. Without DescribeConfigs
// on the cluster: CLUSTER_AUTHORIZATION_FAILED with a null message and null entries.

import { ErrorCode } from '../../protocol/errors.js';
import { DescribeClientQuotas } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { entityParts } from '../quotas/entity.js';
import { Op, clusterAuthorized } from '../security/authorizer/checks.js';

export default defineHandler({
  api: DescribeClientQuotas,
  handle(req, ctx) {
    // DescribeConfigs on the cluster, else the request's error response: CLUSTER_AUTHORIZATION_FAILED, null entries, and no
    // message (ApiError.fromThrowable leaves out a message equal to the error's default one).
    if (!clusterAuthorized(ctx, Op.DESCRIBE_CONFIGS)) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null, entries: null };
    }
    const result = ctx.broker.quotas.describe(req.components, req.strict);
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode,
      errorMessage: result.errorMessage,
      entries: result.entries === null ? null : result.entries.map((e) => ({ entity: entityParts(e.entity), values: e.values })),
    };
  },
});
