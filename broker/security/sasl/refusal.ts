// The answer to a Kafka request other than SaslAuthenticate arriving during the SASL token
// exchange (after SaslHandshake): Kafka's SaslServerAuthenticator.handleSaslToken parses it,
// sends the request's getErrorResponse for IllegalSaslStateException (ILLEGAL_SASL_STATE,
// "Unexpected Kafka request of type <API> during SASL authentication."), and closes the
// connection. kafkalite answers with the response's defaults plus the top-level error code where
// the version has one, as the fault kit does (broker/testkit/faults.ts): for the request clients
// send there (Metadata for all topics, kafkajs after an OAUTHBEARER error challenge) that is
// Kafka's answer (no brokers, no topics). The requests that name topics list them with the error,
// as their getErrorResponse does: Metadata (MetadataRequest: each named topic, no partitions),
// Produce (ProduceRequest: each partition, with the exception's message from v8), ListOffsets
// (ListOffsetsRequest: each partition) and Fetch below v13 (FetchRequest: each partition, as v13+
// only the top-level code). Other APIs' per-entry lists are still left empty where Kafka's
// getErrorResponse would list them (OffsetCommit, OffsetFetch, DescribeConfigs, ...): rarer there.
// An API or version kafkalite does not know gets no answer, only the close.

import { codecFor } from '../../../protocol/codec.js';
import { ErrorCode } from '../../../protocol/errors.js';
import { readRequestHeader, requestHeaderVersion, responseHeaderVersion, writeResponseHeader } from '../../../protocol/header.js';
import { API_BY_KEY } from '../../../protocol/messages/index.js';
import { Writer } from '../../../protocol/primitives.js';
import { inRange } from '../../../protocol/schema.js';

type Body = Record<string, unknown>;
const EMPTY = Buffer.alloc(0);
type Topics<P> = Array<{ name?: string; topic?: string; topicId?: string; partitions?: P[]; partitionData?: P[] }>;

/** Kafka's ApiKeys name of an API: ListOffsets -> LIST_OFFSETS. */
const apiKeysName = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

/** The per-entry part of getErrorResponse, by api key: what the request named, each with `code`. */
const ENTRIES: Readonly<Record<number, (req: Body, version: number, code: number, message: string) => Body>> = {
  0: (req, version, code, message) => ({
    responses: (req.topicData as Topics<{ index: number }>).map((t) => ({
      name: t.name,
      topicId: t.topicId,
      partitionResponses: (t.partitionData ?? []).map((p) => ({
        index: p.index,
        errorCode: code,
        baseOffset: -1,
        logStartOffset: -1,
        errorMessage: version >= 8 ? message : null,
      })),
    })),
  }),
  1: (req, version, code) => ({
    sessionId: req.sessionId ?? 0,
    responses:
      version >= 13
        ? []
        : (req.topics as Topics<{ partition: number }>).map((t) => ({
            topic: t.topic,
            topicId: t.topicId,
            partitions: (t.partitions ?? []).map((p) => ({
              partitionIndex: p.partition,
              errorCode: code,
              highWatermark: -1,
              records: EMPTY,
            })),
          })),
  }),
  2: (req, version, code) => ({
    topics: (req.topics as Topics<{ partitionIndex: number }>).map((t) => ({
      name: t.name,
      partitions: (t.partitions ?? []).map((p) => ({
        partitionIndex: p.partitionIndex,
        errorCode: code,
        ...(version === 0 ? { oldStyleOffsets: [] } : { offset: -1, timestamp: -1 }),
      })),
    })),
  }),
  3: (req, _version, code) => ({
    topics: ((req.topics as Array<{ name: string | null; topicId: string }> | null) ?? []).map((t) => ({
      name: t.name ?? '',
      topicId: t.topicId,
      errorCode: code,
      isInternal: false,
      partitions: [],
    })),
  }),
};

/** The framed ILLEGAL_SASL_STATE response to `frame` (a request), or null when it cannot be answered. */
export function illegalSaslStateResponse(frame: Buffer): Buffer[] | null {
  if (frame.length < 8) return null;
  const api = API_BY_KEY.get(frame.readInt16BE(0));
  const version = frame.readInt16BE(2);
  if (!api || !inRange(api.validVersions, version)) return null;
  const code = ErrorCode.ILLEGAL_SASL_STATE;
  const top = api.response.fields['errorCode'];
  let body: Body = top && inRange(top.versions, version) ? { errorCode: code } : {};
  const entries = ENTRIES[api.apiKey];
  if (entries) {
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
    const message = `Unexpected Kafka request of type ${apiKeysName(api.name)} during SASL authentication.`;
    body = { ...body, ...entries(req, version, code, message) };
  }
  const w = new Writer(256);
  w.int32(0); // size, patched below
  writeResponseHeader(w, frame.readInt32BE(4), responseHeaderVersion(api.apiKey, version, api));
  codecFor(api.response, version).write(w, body as never);
  w.patchInt32AtStart(w.length - 4);
  return w.chunksOut();
}
