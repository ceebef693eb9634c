// The answer to a Kafka request other than SaslAuthenticate arriving during the SASL token
// exchange (after SaslHandshake): Kafka's SaslServerAuthenticator.handleSaslToken parses it,
// sends the request's getErrorResponse for IllegalSaslStateException (ILLEGAL_SASL_STATE,
// "Unexpected Kafka request of type <API> during SASL authentication."), and closes the
// connection. Each API's getErrorResponse is its own (refusal-bodies.ts: what it echoes of the
// request, with which message); here the top-level error code where the version has one, the
// response's defaults for the rest, and the framing. A request Kafka cannot parse, Produce with
// acks=0 (getErrorResponse is null), one whose getErrorResponse throws (refusal-bodies.ts: Produce
// with null records, DescribeUserScramCredentials of all users), and an API or version kafkalite
// does not know get no answer, only the close. test/integration/sasl-refusals-all-apis.test.ts
// compares every API and version with Kafka 4.4's own classes; sasl-refusals-kafka.test.ts a few
// over the wire.

import { codecFor } from '../../../protocol/codec.js';
import { ErrorCode } from '../../../protocol/errors.js';
import { readRequestHeader, requestHeaderVersion, responseHeaderVersion, writeResponseHeader } from '../../../protocol/header.js';
import { API_BY_KEY } from '../../../protocol/messages/index.js';
import { Writer } from '../../../protocol/primitives.js';
import { inRange } from '../../../protocol/schema.js';
import { REFUSAL_BODIES } from './refusal-bodies.js';

type Body = Record<string, unknown>;

/** Kafka's ApiKeys name of an API: ListOffsets -> LIST_OFFSETS. */
const apiKeysName = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

/** Errors.ILLEGAL_SASL_STATE's default message (Errors.message()), which some getErrorResponse carry instead of the exception's. */
const ILLEGAL_SASL_STATE_MESSAGE = 'Request is not valid given the current SASL state.';

/** The framed ILLEGAL_SASL_STATE response to `frame` (a request), or null when it cannot be answered. */
export function illegalSaslStateResponse(frame: Buffer): Buffer[] | null {
  if (frame.length < 8) return null;
  const api = API_BY_KEY.get(frame.readInt16BE(0));
  const version = frame.readInt16BE(2);
  if (!api || !inRange(api.validVersions, version)) return null;
  const code = ErrorCode.ILLEGAL_SASL_STATE;
  const top = api.response.fields['errorCode'];
  let body: Body = top && inRange(top.versions, version) ? { errorCode: code } : {};
  // Kafka parses the request before answering: one it cannot parse gets no answer, only the close.
  let req: Body;
  try {
    const { reader } = readRequestHeader(frame, requestHeaderVersion(api.apiKey, version, api));
    req = codecFor(api.request, version).read(reader) as Body;
  } catch {
    return null;
  }
  // Produce with acks=0: getErrorResponse is null, no answer (the connection is closed all the same).
  if (api.apiKey === 0 && req.acks === 0) return null;
  const build = REFUSAL_BODIES[api.apiKey];
  if (build) {
    const apiMessage = `Unexpected Kafka request of type ${apiKeysName(api.name)} during SASL authentication.`;
    // null: Kafka's getErrorResponse throws on this request (refusal-bodies.ts), no answer.
    const built = build(req, version, { code, apiMessage, errorMessage: ILLEGAL_SASL_STATE_MESSAGE });
    if (!built) return null;
    body = { ...body, ...built };
  }
  const w = new Writer(256);
  w.int32(0); // size, patched below
  writeResponseHeader(w, frame.readInt32BE(4), responseHeaderVersion(api.apiKey, version, api));
  codecFor(api.response, version).write(w, body as never);
  w.patchInt32AtStart(w.length - 4);
  return w.chunksOut();
}
