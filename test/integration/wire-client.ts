// The raw-TCP Kafka client of the wire-level tests: bin/client/connection.ts's KafkaConnection
// with the tests' defaults (client id 'wire-test', no request timeout, every response frame
// kept in `frames`, bytes left after a response body are an error). Responses are matched to
// requests in order (pipelining: send several without awaiting).
//
//   const c = await WireClient.connect(broker.bootstrap);
//   const res = await c.send(Metadata, 12, { topics: null });
//   c.sendRaw(bytes); await c.expectClose();

import { KafkaConnection } from '../../bin/client/connection.js';
import { requestFrame as encodeRequest } from '../../protocol/client-codec.js';
import type { ApiSpec, Input, RequestOf } from '../../protocol/schema.js';

export type { Exchange, SendOptions } from '../../bin/client/connection.js';

export type WireClient = KafkaConnection;

export const WireClient = {
  connect(bootstrap: string): Promise<WireClient> {
    return KafkaConnection.connect(bootstrap, { clientId: 'wire-test', strict: true, recordFrames: true });
  },
};

/** Encodes one request frame (size prefix included); client id 'wire-test' unless given. */
export function requestFrame<A extends ApiSpec>(
  api: A,
  version: number,
  body: Input<RequestOf<A>> | Buffer,
  opts: { correlationId: number; clientId?: string | null; headerVersion?: number; bodyVersion?: number },
): Buffer {
  return encodeRequest(api, version, body, { ...opts, clientId: opts.clientId === undefined ? 'wire-test' : opts.clientId });
}

/** The top of a Fetch that answers at once and opens no session: no wait, 1 MiB, read uncommitted, sessionless. */
export const FETCH_AT_ONCE = { maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1 } as const;
