// Broker-wide bounds on requests read but not yet handled: Kafka's request MemoryPool
// (SimpleMemoryPool, sized by queued.max.request.bytes; -1 turns it off) and the RequestChannel
// queue (queued.max.requests). A connection asks reserve() before it keeps a frame's bytes
// (protocol/frame.ts); when the pool refuses, the connection stops reading (socket.pause(), as
// Kafka's Selector mutes the channel) and waits here until a handled request releases memory.
//
// As Kafka's broker pool (non-strict SimpleMemoryPool), a reservation succeeds while any memory is
// left, so the pool can be over-committed by at most one frame (socket.request.max.bytes, which
// is why Kafka requires queued.max.request.bytes >= socket.request.max.bytes).
//
// Owner: BrokerLimits (broker/limits/index.ts); connections (broker/connection.ts) use it.

export interface PoolSettings {
  /** queued.max.request.bytes; <= 0: no pool. */
  maxBytes: number;
  /** queued.max.requests. */
  maxRequests: number;
}

export class RequestPool {
  private usedBytes = 0;
  private queuedRequests = 0;
  /** Connections waiting for memory or queue room, woken in arrival order. */
  private readonly waiters = new Set<() => void>();
  /** Reservations refused (Kafka's MemoryPoolDepleted sensor counts the time; we count the times). */
  refused = 0;

  constructor(readonly settings: PoolSettings) {}

  /** Bytes of frames being read or waiting to be handled. */
  get used(): number {
    return this.usedBytes;
  }

  get queued(): number {
    return this.queuedRequests;
  }

  /** Bytes left before the pool refuses (Infinity without a pool). */
  get available(): number {
    return this.settings.maxBytes > 0 ? this.settings.maxBytes - this.usedBytes : Number.POSITIVE_INFINITY;
  }

  /** Take `bytes` for a frame (SimpleMemoryPool.tryAllocate, non-strict); false: none left. */
  reserve(bytes: number): boolean {
    if (this.settings.maxBytes > 0 && this.usedBytes >= this.settings.maxBytes) {
      this.refused++;
      return false;
    }
    this.usedBytes += bytes;
    return true;
  }

  release(bytes: number): void {
    this.usedBytes -= bytes;
    this.wake();
  }

  /** The request queue is full: no connection reads another request until one is handled. */
  get queueFull(): boolean {
    return this.queuedRequests >= this.settings.maxRequests;
  }

  enqueue(): void {
    this.queuedRequests++;
  }

  dequeue(): void {
    this.queuedRequests--;
    this.wake();
  }

  /** Call `fn` once the next time memory or queue room is released; returns the cancel. */
  wait(fn: () => void): () => void {
    this.waiters.add(fn);
    return () => this.waiters.delete(fn);
  }

  private wake(): void {
    if (this.waiters.size === 0) return;
    if (this.settings.maxBytes > 0 && this.usedBytes >= this.settings.maxBytes) return;
    if (this.queueFull) return;
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const fn of waiting) fn();
  }
}
