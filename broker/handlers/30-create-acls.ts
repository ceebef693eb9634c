// CreateAcls (key 30), v1-3 as Kafka 4.4 serves them (v0 was removed by KIP-896).
//
// Behaviour (Kafka's AclApis.handleCreateAcls, AclControlManager.createAcls): without an
// authorizer every creation answers SECURITY_DISABLED ("No Authorizer is configured."); the
// caller needs Alter on the cluster, else every creation answers CLUSTER_AUTHORIZATION_FAILED;
// each binding is checked alone (INVALID_REQUEST with Kafka's messages: a CLUSTER name other
// than kafka-cluster, an empty name, ANY/UNKNOWN codes, MATCH/ANY patterns, a principal without
// a colon, an empty host) and the valid ones are added; an existing ACL is a success. A request
// with an UNKNOWN (0) code fails Kafka's parser, which closes the connection; one with an ANY
// resource type, operation or permission or an ANY/MATCH pattern cannot be turned into
// AclBindings, and every creation answers UNKNOWN_SERVER_ERROR without a message.

import { CreateAcls } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { AclOperation, type AclBinding } from '../security/authorizer/acl.js';
import { checkNewAcl, hasUnknownCode, refusal, unbuildable } from '../security/authorizer/admin.js';
import { ErrorCode } from '../../protocol/errors.js';

export default defineHandler({
  api: CreateAcls,
  handle(req, ctx) {
    if (req.creations.some((c) => hasUnknownCode([c.resourceType, c.resourcePatternType, c.operation, c.permissionType]))) {
      ctx.closeConnection('CreatableAcls contain unknown elements');
      return null;
    }
    const refused = refusal(ctx, AclOperation.ALTER, 'No Authorizer is configured.');
    if (refused) return { throttleTimeMs: 0, results: req.creations.map(() => refused) };
    const bindings: AclBinding[] = req.creations.map((c) => ({
      resourceType: c.resourceType,
      resourceName: c.resourceName,
      patternType: c.resourcePatternType,
      principal: c.principal,
      host: c.host,
      operation: c.operation,
      permissionType: c.permissionType,
    }));
    if (bindings.some(unbuildable))
      return { throttleTimeMs: 0, results: bindings.map(() => ({ errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: null })) };
    const results = bindings.map(checkNewAcl);
    ctx.broker.authorizer.create(bindings.filter((_, i) => results[i]!.errorCode === 0));
    // A success leaves AclCreationResult's errorMessage at its default, "".
    return { throttleTimeMs: 0, results: results.map((r) => (r.errorCode === 0 ? { errorCode: 0, errorMessage: '' } : r)) };
  },
});
