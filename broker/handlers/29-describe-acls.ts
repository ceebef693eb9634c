// DescribeAcls (key 29), v1-3 as Kafka 4.4 serves them (v0 was removed by KIP-896).
//
// Behaviour (Kafka's AclApis.handleDescribeAcls): without an authorizer SECURITY_DISABLED ("No
// Authorizer is configured on the broker"); the caller needs Describe on the cluster
// (CLUSTER_AUTHORIZATION_FAILED); then the ACLs the filter matches (AclBindingFilter: ANY codes
// and null strings match all, pattern MATCH the ACLs applying to a name), grouped by resource.
// A filter with an UNKNOWN (0) code fails Kafka's request parser, which closes the connection.
// Kafka groups through HashMaps, so its order varies by JVM; kafkalite answers in StandardAcl
// order. State: broker/security/authorizer/authorizer.ts.

import { DescribeAcls } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { AclOperation } from '../security/authorizer/acl.js';
import { groupByResource, hasUnknownCode, refusal } from '../security/authorizer/admin.js';

export default defineHandler({
  api: DescribeAcls,
  handle(req, ctx) {
    if (hasUnknownCode([req.resourceTypeFilter, req.patternTypeFilter, req.operation, req.permissionType])) {
      ctx.closeConnection('DescribeAclsRequest contains UNKNOWN elements');
      return null;
    }
    const refused = refusal(ctx, AclOperation.DESCRIBE, 'No Authorizer is configured on the broker');
    if (refused) return { throttleTimeMs: 0, ...refused, resources: [] };
    const matched = ctx.broker.authorizer.describe({
      resourceType: req.resourceTypeFilter,
      resourceName: req.resourceNameFilter,
      patternType: req.patternTypeFilter,
      principal: req.principalFilter,
      host: req.hostFilter,
      operation: req.operation,
      permissionType: req.permissionType,
    });
    return { throttleTimeMs: 0, errorCode: 0, errorMessage: '', resources: groupByResource(matched) };
  },
});
