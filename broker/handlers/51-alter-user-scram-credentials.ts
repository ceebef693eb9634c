// AlterUserScramCredentials (key 51), v0 (KIP-554).
//
// Behaviour (Kafka's ScramControlManager.alterCredentials): deletions and upsertions of SCRAM
// credentials, the client sending salt and salted password (kafka-configs --add-config
// 'SCRAM-SHA-256=[iterations=8192,password=...]'); the broker keeps StoredKey and ServerKey. Per
// user: DUPLICATE_RESOURCE when named twice, UNACCEPTABLE_CREDENTIAL for an empty name or
// iterations outside 4096..16384, UNSUPPORTED_SASL_MECHANISM for an unknown mechanism,
// RESOURCE_NOT_FOUND deleting a missing credential; each with Kafka's message. Persisted in the
// data directory (broker/security/scram-credentials.ts).

import { AlterUserScramCredentials } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: AlterUserScramCredentials,
  handle(req, ctx) {
    const results = ctx.broker.sasl.credentials.alter({
      deletions: req.deletions,
      upsertions: req.upsertions.map((u) => ({ ...u, salt: Buffer.from(u.salt), saltedPassword: Buffer.from(u.saltedPassword) })),
    });
    return { throttleTimeMs: 0, results };
  },
});
