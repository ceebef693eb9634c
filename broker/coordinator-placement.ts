// Which node coordinates a group id or a transactional id, answered in one place. A key's
// coordinator is the leader of the key's partition of the coordinator's internal topic
// (`__consumer_offsets`, `__transaction_state`: partition abs(hashCode) % partitions, see
// broker/internal-topic.ts), as in Kafka, unless the test kit pinned the key to a node
// (broker.coordinators.set). FindCoordinator, the NOT_COORDINATOR checks of group and
// transaction requests, ListTransactions, the test kit and the HTTP views all ask here; the
// group and transaction coordinators only say where their keys' partitions lead (serve()).

import { ErrorCode } from '../protocol/errors.js';
import type { ClusterState } from './cluster.js';

/** FindCoordinator's key types. */
export const CoordinatorKeyType = Object.freeze({ GROUP: 0, TRANSACTION: 1, SHARE: 2 } as const);

/** The leader of a key's partition in a coordinator's internal topic. */
export type LeaderOf = (key: string) => number;

export class CoordinatorPlacement {
  /** Coordinator pinned per `${keyType}:${key}` (test kit); consulted before the partition leader. */
  private readonly pins = new Map<string, number>();
  private readonly leaders = new Map<number, LeaderOf>();
  private stopped = false;

  constructor(private readonly cluster: ClusterState) {}

  /** A coordinator serves keys of this type; `leaderOf` says where a key's partition leads. */
  serve(keyType: number, leaderOf: LeaderOf): void {
    this.leaders.set(keyType, leaderOf);
  }

  /** Whether a coordinator serves keys of this type. */
  serves(keyType: number): boolean {
    return this.leaders.has(keyType);
  }

  /** Pin (nodeId) or unpin (null) the coordinator of a key. */
  pin(keyType: number, key: string, nodeId: number | null): void {
    if (nodeId === null) this.pins.delete(`${keyType}:${key}`);
    else this.pins.set(`${keyType}:${key}`, nodeId);
  }

  clearPins(): void {
    this.pins.clear();
  }

  /** The broker is stopping: nothing is coordinated any more. */
  stop(): void {
    this.stopped = true;
  }

  /** The node the key belongs to, up or not: its pin, else its partition's leader (-1: type not served). */
  private placed(keyType: number, key: string): number {
    const pinned = this.pins.size === 0 ? undefined : this.pins.get(`${keyType}:${key}`);
    if (pinned !== undefined) return pinned;
    return this.leaders.get(keyType)?.(key) ?? -1;
  }

  /** The node coordinating `key` now (FindCoordinator), or -1 when none is available (down, stopped). */
  nodeFor(keyType: number, key: string): number {
    if (this.stopped) return -1;
    const node = this.placed(keyType, key);
    return this.cluster.node(node)?.up ? node : -1;
  }

  /** For a request about `key` that reached `nodeId`: NONE, NOT_COORDINATOR, or COORDINATOR_NOT_AVAILABLE once stopped. */
  check(keyType: number, key: string, nodeId: number): number {
    if (this.stopped) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    return this.placed(keyType, key) === nodeId ? ErrorCode.NONE : ErrorCode.NOT_COORDINATOR;
  }
}
