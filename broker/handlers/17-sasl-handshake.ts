// SaslHandshake (key 17), v0-1.
//
// Behaviour (Kafka's SaslServerAuthenticator.handleHandshakeRequest, KafkaApis.handleSaslHandshakeRequest):
// on a SASL listener before authentication (and to begin a KIP-368 re-authentication) the client
// names a mechanism: an enabled one answers NONE with the enabled list and moves the connection to
// token exchange (inside SaslAuthenticate after v1, bare size-prefixed tokens after v0); any other
// answers UNSUPPORTED_SASL_MECHANISM with the list, then closes. Where no SASL is expected (a
// PLAINTEXT or SSL listener) it answers ILLEGAL_SASL_STATE with no mechanisms, as KafkaApis does.
// The session lives in broker/security/sasl/session.ts.

import { SaslHandshake } from '../../protocol/messages/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: SaslHandshake,
  handle(req, ctx) {
    const session = ctx.broker.sasl.session(ctx.connection);
    if (!session) return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: [] };
    const r = session.handshake(req.mechanism, ctx.apiVersion);
    if (r.close) ctx.closeConnection(r.close);
    return { errorCode: r.errorCode, mechanisms: r.mechanisms };
  },
});
