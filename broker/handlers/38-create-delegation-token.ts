// CreateDelegationToken (key 38), v1-3 (Kafka 4.0 dropped v0, KIP-896; v3 names the owner and
// echoes the requester, KIP-373).
//
// Behaviour (KafkaApis.handleCreateTokenRequest, then the controller's
// DelegationTokenControlManager.createDelegationToken): DELEGATION_TOKEN_REQUEST_NOT_ALLOWED on a
// PLAINTEXT connection, an SSL one without a client certificate or one that itself logged in with
// a token; DELEGATION_TOKEN_AUTHORIZATION_FAILED when the owner is not the requester and the
// requester lacks CreateTokens on the USER resource `User:<owner>`; INVALID_PRINCIPAL_TYPE for a
// renewer that is not a User. Those three answer -1 timestamps and an empty token id and HMAC
// (CreateDelegationTokenResponse.prepareResponse). Without `delegation.token.secret.key`:
// DELEGATION_TOKEN_AUTH_DISABLED (the response has no message field; clients show the error's
// default message). The token itself: broker/security/tokens.ts.

import { ErrorCode } from '../../protocol/errors.js';
import { CreateDelegationToken } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { Op, R, authorized } from '../security/authorizer/checks.js';
import { type Principal, parsePrincipal, principalText, tokenRequestsAllowed } from '../security/tokens.js';

export default defineHandler({
  api: CreateDelegationToken,
  handle(req, ctx) {
    const requester = parsePrincipal(ctx.connection.principal);
    const owner: Principal = req.ownerPrincipalName ? { type: req.ownerPrincipalType ?? 'User', name: req.ownerPrincipalName } : requester;
    const answer = (errorCode: number, times: number) => ({
      throttleTimeMs: 0,
      errorCode,
      principalType: owner.type,
      principalName: owner.name,
      tokenRequesterPrincipalType: requester.type,
      tokenRequesterPrincipalName: requester.name,
      issueTimestampMs: times,
      expiryTimestampMs: times,
      maxTimestampMs: times,
      tokenId: '',
      hmac: Buffer.alloc(0),
    });
    const isOwner = owner.type === requester.type && owner.name === requester.name;
    if (!tokenRequestsAllowed(ctx.connection)) return answer(ErrorCode.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED, -1);
    if (!isOwner && !authorized(ctx, Op.CREATE_TOKENS, R.USER, principalText(owner))) {
      return answer(ErrorCode.DELEGATION_TOKEN_AUTHORIZATION_FAILED, -1);
    }
    if (req.renewers.some((r) => r.principalType !== 'User')) return answer(ErrorCode.INVALID_PRINCIPAL_TYPE, -1);
    const renewers = req.renewers.map((r) => ({ type: r.principalType, name: r.principalName }));
    const { errorCode, token } = ctx.broker.sasl.tokens.create(owner, requester, renewers, req.maxLifetimeMs);
    if (!token) return answer(errorCode, 0);
    return {
      ...answer(0, 0),
      issueTimestampMs: token.issueTimestamp,
      expiryTimestampMs: token.expiryTimestamp,
      maxTimestampMs: token.maxTimestamp,
      tokenId: token.tokenId,
      hmac: token.hmac,
    };
  },
});
