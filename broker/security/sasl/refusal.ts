// The answer to a Kafka request other than SaslAuthenticate arriving during the SASL token
// exchange (after SaslHandshake): Kafka's SaslServerAuthenticator.handleSaslToken parses it,
// sends the request's getErrorResponse for IllegalSaslStateException (ILLEGAL_SASL_STATE), and
// closes the connection. kafkalite answers with the response's defaults plus the top-level error
// code where the version has one, as the fault kit does (broker/testkit/faults.ts): for the
// request clients send there (Metadata for all topics, kafkajs after an OAUTHBEARER error
// challenge) that is Kafka's answer (no brokers, no topics). A request per-entry errors would
// list (named topics, partitions) is answered empty. An API or version kafkalite does not know
// gets no answer, only the close.

import { codecFor } from '../../../protocol/codec.js';
import { ErrorCode } from '../../../protocol/errors.js';
import { responseHeaderVersion, writeResponseHeader } from '../../../protocol/header.js';
import { API_BY_KEY } from '../../../protocol/messages/index.js';
import { Writer } from '../../../protocol/primitives.js';
import { inRange } from '../../../protocol/schema.js';

/** The framed ILLEGAL_SASL_STATE response to `frame` (a request), or null when it cannot be answered. */
export function illegalSaslStateResponse(frame: Buffer): Buffer[] | null {
  if (frame.length < 8) return null;
  const api = API_BY_KEY.get(frame.readInt16BE(0));
  const version = frame.readInt16BE(2);
  if (!api || !inRange(api.validVersions, version)) return null;
  const top = api.response.fields['errorCode'];
  const body = top && inRange(top.versions, version) ? { errorCode: ErrorCode.ILLEGAL_SASL_STATE } : {};
  const w = new Writer(256);
  w.int32(0); // size, patched below
  writeResponseHeader(w, frame.readInt32BE(4), responseHeaderVersion(api.apiKey, version, api));
  codecFor(api.response, version).write(w, body as never);
  w.patchInt32AtStart(w.length - 4);
  return w.chunksOut();
}
