// SaslAuthenticate (key 36), v0-2.
//
// Behaviour (Kafka's SaslServerAuthenticator.handleSaslToken, KafkaApis.handleSaslAuthenticateRequest):
// one SASL token in, the mechanism's challenge out. A failure answers SASL_AUTHENTICATION_FAILED
// with Kafka's message (the mechanism's own, e.g. "Authentication failed: Invalid username or
// password" for PLAIN, or "Authentication failed during authentication due to invalid credentials
// with SASL mechanism SCRAM-SHA-256" where the mechanism's reason must stay secret), then closes.
// v1+ carries the session lifetime once complete (KIP-368: connections.max.reauth.ms or the
// credential's expiry, 0 for none). Outside an exchange (a PLAINTEXT listener, or after
// authentication) it answers ILLEGAL_SASL_STATE, as KafkaApis does.

import { SaslAuthenticate } from '../../protocol/messages/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: SaslAuthenticate,
  async handle(req, ctx) {
    const session = ctx.broker.sasl.session(ctx.connection);
    if (!session) {
      return {
        errorCode: ErrorCode.ILLEGAL_SASL_STATE,
        errorMessage: 'SaslAuthenticate request received after successful authentication',
        authBytes: Buffer.alloc(0),
        sessionLifetimeMs: 0,
      };
    }
    const r = await session.token(Buffer.from(req.authBytes));
    if (r.close) ctx.closeConnection(r.close);
    return { errorCode: r.errorCode, errorMessage: r.errorMessage, authBytes: r.authBytes, sessionLifetimeMs: r.sessionLifetimeMs };
  },
});
