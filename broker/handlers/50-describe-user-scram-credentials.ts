// DescribeUserScramCredentials (key 50), v0 (KIP-554).
//
// Behaviour (Kafka's ScramImage.describe): null or empty users lists every user with a credential;
// each result names the mechanisms and iteration counts, never salts or keys. A user without one
// is RESOURCE_NOT_FOUND "Attempt to describe a user credential that does not exist: <user>", a
// user asked twice DUPLICATE_RESOURCE "Cannot describe SCRAM credentials for the same user twice in
// a single request: <user>". Success carries an empty error message (""), the schema default Kafka
// leaves in place. The credentials are broker/security/scram-credentials.ts.

import { DescribeUserScramCredentials } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: DescribeUserScramCredentials,
  handle(req, ctx) {
    return { throttleTimeMs: 0, errorCode: 0, errorMessage: '', results: ctx.broker.sasl.credentials.describe(req.users) };
  },
});
