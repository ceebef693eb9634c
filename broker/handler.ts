// The handler contract. One file per API under broker/handlers/, named by key, exporting a
// Handler made with defineHandler(). Its `versions` range is declared once and is what
// ApiVersions advertises; the dispatcher rejects anything outside it.

import type { ApiSpec, Input, RequestOf, ResponseOf, VersionRange } from '../protocol/schema.js';
import { parseVersions } from '../protocol/schema.js';
import type { RequestHeaderData } from '../protocol/header.js';
import type { BrokerCore } from './core.js';
import type { NodeInfo } from './cluster.js';

export interface ConnectionInfo {
  readonly id: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Aborted when the connection closes, so parked requests can give up. */
  readonly signal: AbortSignal;
}

export interface RequestContext {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly header: RequestHeaderData;
  readonly broker: BrokerCore;
  /** The node whose listener received the request. */
  readonly node: NodeInfo;
  readonly connection: ConnectionInfo;
  /** Ask for the connection to be closed after this request (e.g. a failed acks=0 produce). */
  closeConnection(reason: string): void;
}

/** A response to send, or null for none (Produce with acks=0). */
export type HandlerResult<A extends ApiSpec> = Input<ResponseOf<A>> | null;

export interface Handler<A extends ApiSpec = ApiSpec> {
  readonly api: A;
  /** Versions served; must lie within api.validVersions. */
  readonly versions: VersionRange;
  handle(request: RequestOf<A>, ctx: RequestContext): HandlerResult<A> | Promise<HandlerResult<A>>;
}

export function defineHandler<A extends ApiSpec>(def: { api: A; versions: string; handle: Handler<A>['handle'] }): Handler<A> {
  const versions = parseVersions(def.versions);
  if (versions.min < def.api.validVersions.min || versions.max > def.api.validVersions.max) {
    throw new RangeError(`${def.api.name}: versions ${def.versions} outside the schema's range`);
  }
  return { api: def.api, versions, handle: def.handle };
}
