// Settling a request's quotas once its handler has answered, as KafkaApis does before sending
// (handleProduceRequest, handleFetchRequest, RequestHandlerHelper.sendResponseMaybeThrottle*):
// - Produce: the request's bytes against producer_byte_rate; request time against
//   request_percentage, except with acks=0 (no response, but the connection is still muted).
// - Fetch: the response's bytes against consumer_byte_rate (consumers only, as Kafka); if the fetch or the request quota is
//   violated the bytes are taken back and the client gets an empty response (Kafka's
//   getThrottledResponse: no partitions, and a full fetch's new session dropped).
// - CreateTopics, DeleteTopics, CreatePartitions: the mutation quota the handler used.
// - Every other API: request time.
// The largest throttle goes into the response's throttle_time_ms (versions that carry it) and
// mutes the connection for that long (broker/connection.ts); KIP-219 clients also wait on their side.

import { Fetch, Produce } from '../../protocol/messages/index.js';
import type { BrokerCore } from '../core.js';
import { fetchSessions } from '../fetch-sessions.js';
import type { RequestContext } from '../handler.js';
import type { MutationQuota, QuotaType } from './manager.js';

export interface Settled {
  /** The response to send (a throttled Fetch's is emptied), or null. */
  result: Record<string, unknown> | null;
  /** How long to mute the connection; 0 for none. */
  throttleMs: number;
}

/** A replica's fetch (replica id >= 0, in the header field or, from v15, replica_state) is not a consumer's. */
export function fromFollower(request: unknown): boolean {
  const r = request as { replicaId?: number; replicaState?: { replicaId: number } };
  return Math.max(r.replicaId ?? -1, r.replicaState?.replicaId ?? -1) >= 0;
}

export function settleQuotas(
  core: BrokerCore,
  ctx: RequestContext,
  request: unknown,
  io: { requestBytes: number; responseBytes: number; handlerMs: number; mutation: MutationQuota | null },
  result: Record<string, unknown> | null,
): Settled {
  const q = core.throttling;
  let type: QuotaType = 'Request';
  let throttleMs = 0;
  const consider = (t: QuotaType, ms: number) => {
    if (ms > throttleMs) {
      throttleMs = ms;
      type = t;
    }
  };
  if (ctx.apiKey === Produce.apiKey) {
    consider('Produce', q.recordProduce(ctx, io.requestBytes));
    if ((request as { acks: number }).acks !== 0) consider('Request', q.recordRequestTime(ctx, io.handlerMs));
  } else if (ctx.apiKey === Fetch.apiKey && result && !fromFollower(request)) {
    const requestMs = q.recordRequestTime(ctx, io.handlerMs);
    const fetchMs = q.recordFetch(ctx, io.responseBytes);
    consider('Request', requestMs);
    consider('Fetch', fetchMs);
    if (throttleMs > 0) {
      q.unrecordFetch(ctx, io.responseBytes);
      // IncrementalFetchContext.getThrottledResponse keeps the session's id; a full fetch's is 0, and
      // FullFetchContext creates no session on that path: the one the handler made is dropped.
      const incremental = (request as { sessionEpoch?: number }).sessionEpoch! > 0 && ctx.apiVersion >= 7;
      const created = (result as { sessionId?: number }).sessionId ?? 0;
      if (!incremental && created > 0) fetchSessions(ctx).discard(created);
      result = {
        ...result,
        errorCode: 0,
        sessionId: incremental ? (result as { sessionId: number }).sessionId : 0,
        responses: [],
        nodeEndpoints: [],
      };
    }
  } else {
    if (io.mutation) consider('ControllerMutation', io.mutation.throttleMs());
    consider('Request', q.recordRequestTime(ctx, io.handlerMs));
  }
  if (throttleMs > 0) {
    q.noteThrottle(type, ctx, throttleMs);
    if (result && 'throttleTimeMs' in result) result = { ...result, throttleTimeMs: throttleMs };
  }
  return { result, throttleMs };
}
