// The client's side of the wire, without sockets: request frames (size prefix, request header
// v0/v1/v2 chosen from the API version as Kafka's generated code does, body), and responses
// matched to requests in the order they were sent, as Kafka's NetworkClient matches them, the
// correlation id checked. One connection module over it (bin/client/connection.ts) serves the
// CLI verbs, the tests' WireClient and the benchmarks.
//
//   const matcher = new ResponseMatcher();
//   socket.write(requestFrame(Metadata, 12, { topics: null }, { correlationId: 1 }));
//   matcher.expect(1, responseDecoder(Metadata, 12), settle);
//   socket.on('data', (chunk) => matcher.push(chunk));

import { codecFor } from './codec.js';
import { FrameDecoder } from './frame.js';
import { API_VERSIONS_KEY, RequestHeader, ResponseHeader, requestHeaderVersion, responseHeaderVersion } from './header.js';
import { Reader, Writer } from './primitives.js';
import { inRange, type ApiSpec, type Input, type RequestOf, type ResponseOf } from './schema.js';

export interface RequestFrameOptions {
  correlationId: number;
  /** null sends a null client id. */
  clientId: string | null;
  /** Request header version (default: from the API version, 1 or 2 when flexible). */
  headerVersion?: number;
  /** Version to encode the body with (default: the request version); none in the schema: an empty body. */
  bodyVersion?: number;
}

/** One request frame, size prefix included; `body` may be raw bytes (a hand-made body). */
export function requestFrame<A extends ApiSpec>(
  api: A,
  version: number,
  body: Input<RequestOf<A>> | Buffer,
  opts: RequestFrameOptions,
): Buffer {
  const w = new Writer(256);
  w.int32(0);
  codecFor(RequestHeader, opts.headerVersion ?? requestHeaderVersion(api.apiKey, version, api)).write(w, {
    requestApiKey: api.apiKey,
    requestApiVersion: version,
    correlationId: opts.correlationId,
    clientId: opts.clientId,
  });
  if (Buffer.isBuffer(body)) w.raw(body);
  else {
    const bv = opts.bodyVersion ?? version;
    if (inRange(api.request.validVersions, bv)) codecFor(api.request, bv).write(w, body as never);
  }
  const out = w.toBuffer();
  out.writeInt32BE(out.length - 4, 0);
  return out;
}

/** A decoded response and the correlation id its header carried. */
export interface Exchange<T> {
  correlationId: number;
  body: T;
}

export type ResponseDecoder<T> = (frame: Buffer) => Exchange<T>;

/**
 * Decodes a response frame (without its size prefix) to a request of `version`. An ApiVersions
 * request beyond the schema is answered at v0 (Kafka's UNSUPPORTED_VERSION answer), so that is
 * the default there. `strict`: bytes left after the body are an error.
 */
export function responseDecoder<A extends ApiSpec>(
  api: A,
  version: number,
  opts: { responseVersion?: number; strict?: boolean } = {},
): ResponseDecoder<ResponseOf<A>> {
  let rv = opts.responseVersion ?? version;
  if (opts.responseVersion === undefined && api.apiKey === API_VERSIONS_KEY && !inRange(api.response.validVersions, version)) rv = 0;
  // Codecs are looked up when a response comes: a request at a version without a response
  // schema (the broker closes the connection) must still be sendable.
  return (frame) => {
    const r = new Reader(frame);
    const { correlationId } = codecFor(ResponseHeader, responseHeaderVersion(api.apiKey, rv, api)).read(r);
    const decoded = codecFor(api.response, rv).read(r) as ResponseOf<A>;
    if (opts.strict && r.remaining !== 0) throw new Error(`${api.name} v${rv} response: ${r.remaining} bytes left after the body`);
    return { correlationId, body: decoded };
  };
}

interface Expected {
  correlationId: number;
  decode: ResponseDecoder<unknown>;
  settle: (err: Error | null, e?: Exchange<unknown>) => void;
  /** Given up on (timed out): its response is read and dropped. */
  abandoned: boolean;
}

/** What expect() returns: abandon() drops the response when it comes (after a timeout). */
export interface ExpectedHandle {
  abandon(): void;
}

/** Response frames of one connection matched, in order, to the requests that expect one. */
export class ResponseMatcher {
  private readonly frames: FrameDecoder;
  private readonly queue: Expected[] = [];

  constructor(maxFrameBytes = 0x7fffffff) {
    this.frames = new FrameDecoder(maxFrameBytes);
  }

  /** Requests sent and not answered yet (abandoned ones included until their response comes). */
  get inFlight(): number {
    return this.queue.length;
  }

  /** The next response frame answers this request; `settle` gets the decoded body or the error. */
  expect<T>(correlationId: number, decode: ResponseDecoder<T>, settle: (err: Error | null, e?: Exchange<T>) => void): ExpectedHandle {
    const entry: Expected = { correlationId, decode, settle: settle as Expected['settle'], abandoned: false };
    this.queue.push(entry);
    return {
      abandon: () => {
        entry.abandoned = true;
      },
    };
  }

  /**
   * Bytes from the socket; returns the whole frames they completed (without size prefix), each
   * settled against its request. A frame nobody expects is only returned. Throws on a
   * negative or oversized size prefix (the stream cannot be followed any more).
   */
  push(chunk: Buffer): Buffer[] {
    const frames = this.frames.push(chunk);
    for (const frame of frames) {
      const entry = this.queue.shift();
      if (!entry || entry.abandoned) continue;
      let e: Exchange<unknown>;
      try {
        e = entry.decode(frame);
      } catch (err) {
        entry.settle(err instanceof Error ? err : new Error(String(err)));
        continue;
      }
      if (e.correlationId !== entry.correlationId)
        entry.settle(new Error(`correlation id mismatch: expected ${entry.correlationId}, got ${e.correlationId}`));
      else entry.settle(null, e);
    }
    return frames;
  }

  /** The connection is gone: every request still waiting gets `error(correlationId)`. */
  failAll(error: (correlationId: number) => Error): void {
    for (const entry of this.queue.splice(0)) if (!entry.abandoned) entry.settle(error(entry.correlationId));
  }
}
