// DescribeDelegationToken (key 41), v1-3 (Kafka 4.0 dropped v0, KIP-896; v3 adds each token's
// requester, KIP-373).
//
// Behaviour (KafkaApis.handleDescribeTokensRequest, DelegationTokenManager.filterToken):
// DELEGATION_TOKEN_REQUEST_NOT_ALLOWED on a PLAINTEXT, anonymous SSL or token-authenticated
// connection, DELEGATION_TOKEN_AUTH_DISABLED without `delegation.token.secret.key`; an empty owner
// list answers no tokens; a null one every token the caller may see, a list only the tokens whose
// owner, requester or a renewer is listed. The caller sees the tokens it owns, requested or may
// renew, and others only with Describe on the DELEGATION_TOKEN resource (the token id) or
// DescribeTokens on the USER resource `User:<owner>`. Tokens in creation order (Kafka's cache is
// a hash map: its order is unspecified). Tokens still listed past their expiry until the sweep
// removes them (broker/security/tokens.ts).

import { ErrorCode } from '../../protocol/errors.js';
import { DescribeDelegationToken } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { Op, R, authorized } from '../security/authorizer/checks.js';
import { ownerOrRenewer, parsePrincipal, principalText, tokenRequestsAllowed } from '../security/tokens.js';

export default defineHandler({
  api: DescribeDelegationToken,
  handle(req, ctx) {
    const tokens = ctx.broker.sasl.tokens;
    if (!tokenRequestsAllowed(ctx.connection))
      return { throttleTimeMs: 0, errorCode: ErrorCode.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED, tokens: [] };
    if (!tokens.enabled) return { throttleTimeMs: 0, errorCode: ErrorCode.DELEGATION_TOKEN_AUTH_DISABLED, tokens: [] };
    if (req.owners !== null && req.owners.length === 0) return { throttleTimeMs: 0, errorCode: 0, tokens: [] };
    const requester = parsePrincipal(ctx.connection.principal);
    const owners = req.owners?.map((o) => ({ type: o.principalType, name: o.principalName })) ?? null;
    const found = tokens.tokensWhere((t) => {
      if (owners && !owners.some((o) => ownerOrRenewer(t, o))) return false;
      if (ownerOrRenewer(t, requester)) return true;
      return (
        authorized(ctx, Op.DESCRIBE, R.DELEGATION_TOKEN, t.tokenId) || authorized(ctx, Op.DESCRIBE_TOKENS, R.USER, principalText(t.owner))
      );
    });
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      tokens: found.map((t) => ({
        principalType: t.owner.type,
        principalName: t.owner.name,
        tokenRequesterPrincipalType: t.requester.type,
        tokenRequesterPrincipalName: t.requester.name,
        issueTimestamp: t.issueTimestamp,
        expiryTimestamp: t.expiryTimestamp,
        maxTimestamp: t.maxTimestamp,
        tokenId: t.tokenId,
        hmac: t.hmac,
        renewers: t.renewers.map((r) => ({ principalType: r.type, principalName: r.name })),
      })),
    };
  },
});
