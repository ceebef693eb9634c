// Share sessions (KIP-932): per (group, member) the partitions a share consumer fetches and the
// session epoch it must send next, as Kafka's ShareSessionCache and SharePartitionManager.newContext
// / acknowledgeSessionUpdate keep them. Epoch 0 opens (or reopens) a session, -1 closes it, any
// other epoch must be the session's current one and moves it on (wrapping to 1 after MAX_INT).
// At most `group.share.max.share.sessions` sessions live at once (SHARE_SESSION_LIMIT_REACHED).
//
// Owner: ShareManager (broker/share/manager.ts).

import { ErrorCode } from '../../protocol/errors.js';

export const INITIAL_EPOCH = 0;
export const FINAL_EPOCH = -1;

export interface ShareSession {
  readonly groupId: string;
  readonly memberId: string;
  epoch: number;
  /** Partition keys `${topicId}:${partition}` in the session, in the order added. */
  readonly partitions: Map<string, { topicId: string; partition: number }>;
  /** The connection that opened it: its close ends the session (Kafka 4.1+, KIP-932). */
  connectionId: number;
}

export class ShareSessionError extends Error {
  constructor(readonly errorCode: number) {
    super(`share session error ${errorCode}`);
  }
}

export const partitionKey = (topicId: string, partition: number) => `${topicId}:${partition}`;

export function nextEpoch(epoch: number): number {
  return epoch === 0x7fffffff ? 1 : epoch + 1;
}

export class ShareSessions {
  private readonly byKey = new Map<string, ShareSession>();

  constructor(private readonly limit: () => number) {}

  private static key(groupId: string, memberId: string): string {
    return `${groupId}\u0000${memberId}`;
  }

  get(groupId: string, memberId: string): ShareSession | undefined {
    return this.byKey.get(ShareSessions.key(groupId, memberId));
  }

  size(): number {
    return this.byKey.size;
  }

  all(): IterableIterator<ShareSession> {
    return this.byKey.values();
  }

  clear(): void {
    this.byKey.clear();
  }

  remove(groupId: string, memberId: string): ShareSession | undefined {
    const k = ShareSessions.key(groupId, memberId);
    const s = this.byKey.get(k);
    this.byKey.delete(k);
    return s;
  }

  /** Epoch 0: a fresh session (an older one of the member is replaced). Throws SHARE_SESSION_LIMIT_REACHED. */
  open(groupId: string, memberId: string, connectionId: number, parts: Array<{ topicId: string; partition: number }>): ShareSession {
    const k = ShareSessions.key(groupId, memberId);
    this.byKey.delete(k);
    if (this.byKey.size >= this.limit()) throw new ShareSessionError(ErrorCode.SHARE_SESSION_LIMIT_REACHED);
    const session: ShareSession = { groupId, memberId, epoch: 1, partitions: new Map(), connectionId };
    for (const p of parts) session.partitions.set(partitionKey(p.topicId, p.partition), p);
    this.byKey.set(k, session);
    return session;
  }

  /** A later ShareFetch: the session must exist at this epoch; it gains and forgets partitions. */
  update(
    groupId: string,
    memberId: string,
    epoch: number,
    add: Array<{ topicId: string; partition: number }>,
    forget: Array<{ topicId: string; partition: number }>,
  ): ShareSession {
    const s = this.get(groupId, memberId);
    if (!s) throw new ShareSessionError(ErrorCode.SHARE_SESSION_NOT_FOUND);
    if (s.epoch !== epoch) throw new ShareSessionError(ErrorCode.INVALID_SHARE_SESSION_EPOCH);
    for (const p of add) s.partitions.set(partitionKey(p.topicId, p.partition), p);
    for (const p of forget) s.partitions.delete(partitionKey(p.topicId, p.partition));
    s.epoch = nextEpoch(s.epoch);
    return s;
  }

  /** ShareAcknowledge: epoch 0 is refused, -1 needs a session, others must match and move on. */
  acknowledgeUpdate(groupId: string, memberId: string, epoch: number): void {
    if (epoch === INITIAL_EPOCH) throw new ShareSessionError(ErrorCode.INVALID_SHARE_SESSION_EPOCH);
    const s = this.get(groupId, memberId);
    if (!s) throw new ShareSessionError(ErrorCode.SHARE_SESSION_NOT_FOUND);
    if (epoch === FINAL_EPOCH) return;
    if (s.epoch !== epoch) throw new ShareSessionError(ErrorCode.INVALID_SHARE_SESSION_EPOCH);
    s.epoch = nextEpoch(s.epoch);
  }
}
