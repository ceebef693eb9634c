// The handler contract. One file per API under broker/handlers/, named by key, exporting a
// Handler made with defineHandler(). The versions served are declared in the registry
// (broker/handlers/index.ts), next to the handler; ApiVersions advertises them and the
// dispatcher rejects anything outside them.

import type { ReadBuffers } from './buffer-pool.js';
import type { ApiSpec, Input, RequestOf, ResponseOf } from '../protocol/schema.js';
import type { RequestHeaderData } from '../protocol/header.js';
import type { BrokerCore } from './core.js';
import type { NodeInfo } from './cluster.js';
import type { MutationQuota } from './quotas/manager.js';
import type { SecurityProtocol } from './security/listeners.js';

export interface ConnectionInfo {
  readonly id: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Aborted when the connection closes, so parked requests can give up. */
  readonly signal: AbortSignal;
  /** The client software its ApiVersions (v3+) named; Kafka's ClientInformation ("unknown" until then). */
  clientSoftware?: { name: string; version: string };
  /** The authenticated principal (quotas key on its name): unset means `User:ANONYMOUS`; TLS client certificates and SASL set it. */
  principal?: string;
  /** The principal logged in with a delegation token (SCRAM `tokenauth=true`); such connections may not manage tokens. */
  tokenAuthenticated?: boolean;
  /** The listener the connection came in on (broker/security/listeners.ts); unset for broker.handle() without a socket. */
  readonly listenerName?: string;
  readonly securityProtocol?: SecurityProtocol;
  /** A SASL_* listener: only ApiVersions and the SASL requests until authenticated (broker/security/sasl/ owns the state). */
  readonly authenticationRequired?: boolean;
  /** Pooled memory for this request's file reads, given back once its response is written (broker/buffer-pool.ts). */
  readonly readBuffers?: ReadBuffers;
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
  /**
   * Memory for Fetch's file reads whose bytes may be reused once the response is written: the
   * connection's, unless an interceptor could keep the response (broker/buffer-pool.ts).
   */
  readonly readBuffers?: ReadBuffers;
  /**
   * The controller mutation quota of this request (CreateTopics, DeleteTopics, CreatePartitions),
   * strict from `strictSinceVersion` (broker/quotas/manager.ts); its throttle is applied with the response.
   */
  mutationQuota(strictSinceVersion: number): MutationQuota;
}

/** A response to send, or null for none (Produce with acks=0). */
export type HandlerResult<A extends ApiSpec> = Input<ResponseOf<A>> | null;

export interface Handler<A extends ApiSpec = ApiSpec> {
  readonly api: A;
  handle(request: RequestOf<A>, ctx: RequestContext): HandlerResult<A> | Promise<HandlerResult<A>>;
}

export function defineHandler<A extends ApiSpec>(def: { api: A; handle: Handler<A>['handle'] }): Handler<A> {
  return { api: def.api, handle: def.handle };
}
