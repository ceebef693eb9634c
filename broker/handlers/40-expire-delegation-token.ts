// ExpireDelegationToken (key 40), v1-2 (Kafka 4.0 dropped v0, KIP-896).
//
// Behaviour (KafkaApis.handleExpireTokenRequest, then DelegationTokenControlManager.expireDelegationToken):
// DELEGATION_TOKEN_REQUEST_NOT_ALLOWED (expiry -1) on a PLAINTEXT, anonymous SSL or
// token-authenticated connection; then, with expiry 0: DELEGATION_TOKEN_AUTH_DISABLED without a
// secret, DELEGATION_TOKEN_NOT_FOUND for an unknown HMAC, DELEGATION_TOKEN_OWNER_MISMATCH unless the
// caller is the owner or a renewer. A negative period removes the token at once (expiry = now,
// even if it had already expired); otherwise DELEGATION_TOKEN_EXPIRED past its expiry, else the
// expiry becomes now + the period, capped by the max timestamp (broker/security/tokens.ts).

import { ErrorCode } from '../../protocol/errors.js';
import { ExpireDelegationToken } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { parsePrincipal, tokenRequestsAllowed } from '../security/tokens.js';

export default defineHandler({
  api: ExpireDelegationToken,
  handle(req, ctx) {
    if (!tokenRequestsAllowed(ctx.connection)) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED, expiryTimestampMs: -1 };
    }
    const r = ctx.broker.sasl.tokens.expire(req.hmac, parsePrincipal(ctx.connection.principal), req.expiryTimePeriodMs);
    return { throttleTimeMs: 0, ...r };
  },
});
