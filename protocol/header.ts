// Request and response headers (messages/RequestHeader.json, ResponseHeader.json) and the rule that
// picks their versions (Kafka's ApiKeys.requestHeaderVersion / responseHeaderVersion).
//
// Request header: v1 for non-flexible API versions, v2 for flexible ones (ControlledShutdown
// v0 alone uses v0). Response header: v0 / v1 likewise, except ApiVersions, whose response
// header is always v0 so a client can read it before versions are agreed (KIP-511).

import { codecFor } from './codec.js';
import { Reader, type Writer } from './primitives.js';
import { f, inRange, message, type ApiSpec, type Infer } from './schema.js';

export const RequestHeader = message({
  name: 'RequestHeader',
  validVersions: '0-2',
  flexibleVersions: '2+',
  fields: {
    requestApiKey: f.int16('0+'),
    requestApiVersion: f.int16('0+'),
    correlationId: f.int32('0+'),
    // Always an int16-length string, even in the flexible header v2.
    clientId: f.string('1+', { nullable: '1+', flexible: 'none' }),
  },
});

export const ResponseHeader = message({
  name: 'ResponseHeader',
  validVersions: '0-1',
  flexibleVersions: '1+',
  fields: {
    correlationId: f.int32('0+'),
  },
});

export type RequestHeaderData = Infer<(typeof RequestHeader)['fields']>;

export const API_VERSIONS_KEY = 18;
const CONTROLLED_SHUTDOWN_KEY = 7;

export function requestHeaderVersion(apiKey: number, apiVersion: number, api: ApiSpec | undefined): number {
  if (apiKey === CONTROLLED_SHUTDOWN_KEY && apiVersion === 0) return 0;
  return api && inRange(api.flexibleVersions, apiVersion) ? 2 : 1;
}

export function responseHeaderVersion(apiKey: number, apiVersion: number, api: ApiSpec | undefined): number {
  if (apiKey === API_VERSIONS_KEY) return 0;
  return api && inRange(api.flexibleVersions, apiVersion) ? 1 : 0;
}

/** Peek api key and version (the first four bytes of every request). */
export function peekApi(frame: Buffer): { apiKey: number; apiVersion: number } {
  return { apiKey: frame.readInt16BE(0), apiVersion: frame.readInt16BE(2) };
}

/** Decode a request header; returns it and the reader positioned at the body. */
export function readRequestHeader(frame: Buffer, headerVersion: number): { header: RequestHeaderData; reader: Reader } {
  const reader = new Reader(frame);
  const header = codecFor(RequestHeader, headerVersion).read(reader);
  if (header.clientId === null) header.clientId = '';
  return { header, reader };
}

export function writeResponseHeader(w: Writer, correlationId: number, headerVersion: number): void {
  codecFor(ResponseHeader, headerVersion).write(w, { correlationId });
}
