// DeleteAcls (key 31), v1-3 as Kafka 4.4 serves them (v0 was removed by KIP-896).
//
// Behaviour (Kafka's AclApis.handleDeleteAcls, AclControlManager.deleteAcls): without an
// authorizer every filter answers SECURITY_DISABLED ("No Authorizer is configured."); the caller
// needs Alter on the cluster, else CLUSTER_AUTHORIZATION_FAILED per filter; a filter with an
// unknown pattern or entry part answers INVALID_REQUEST ("Unknown patternFilter." / "Unknown
// entryFilter."); each valid filter lists the ACLs it matched, all removed together. A filter
// with an UNKNOWN (0) code fails Kafka's parser, which closes the connection. Kafka lists the
// matches in its id HashMap's order; kafkalite in StandardAcl order.

import { DeleteAcls } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { AclOperation, type AclFilter } from '../security/authorizer/acl.js';
import { checkFilter, hasUnknownCode, refusal } from '../security/authorizer/admin.js';

export default defineHandler({
  api: DeleteAcls,
  handle(req, ctx) {
    if (req.filters.some((f) => hasUnknownCode([f.resourceTypeFilter, f.patternTypeFilter, f.operation, f.permissionType]))) {
      ctx.closeConnection('Filters contain UNKNOWN elements');
      return null;
    }
    const refused = refusal(ctx, AclOperation.ALTER, 'No Authorizer is configured.');
    if (refused) return { throttleTimeMs: 0, filterResults: req.filters.map(() => ({ ...refused, matchingAcls: [] })) };
    const filters: AclFilter[] = req.filters.map((f) => ({
      resourceType: f.resourceTypeFilter,
      resourceName: f.resourceNameFilter,
      patternType: f.patternTypeFilter,
      principal: f.principalFilter,
      host: f.hostFilter,
      operation: f.operation,
      permissionType: f.permissionType,
    }));
    const checks = filters.map(checkFilter);
    const deleted = ctx.broker.authorizer.delete(filters.map((f, i) => (checks[i]!.errorCode === 0 ? f : null)));
    return {
      throttleTimeMs: 0,
      filterResults: filters.map((_, i) => ({
        ...checks[i]!,
        matchingAcls: deleted[i]!.map((b) => ({ errorCode: 0, errorMessage: null, ...b })),
      })),
    };
  },
});
