// Reused memory for the two big per-request buffers of the hot path (issue 15): a request frame
// that arrives in several socket chunks (broker/connection.ts, protocol/frame.ts) and the file
// ranges a Fetch reads (broker/handlers/01-fetch.ts). A fresh buffer of ~1 MiB per request costs
// page faults on first touch (and an mmap/munmap pair) every time; a pooled one is already mapped.
//
// The pool hands out power-of-two capacities from 64 KiB to 16 MiB and keeps at most `maxFreeBytes`
// of returned memory; bigger or smaller requests are plain allocations. A buffer goes back only
// through give(), called by the one owner that knows no byte of it is referenced any more: the
// connection once a Produce frame's records are in the log (pwrite copied them), or once a Fetch
// response's socket write has completed (its write callback). Kafka recycles its NetworkReceive
// buffers through MemoryPool the same way (org.apache.kafka.common.memory.GarbageCollectedMemoryPool).

const MIN_CLASS = 64 * 1024;
const MAX_CLASS = 16 * 1024 * 1024;

export class BufferPool {
  private readonly free = new Map<number, ArrayBuffer[]>();
  /** Memory handed out by take() and not yet given back (give() ignores anything else). */
  private readonly lent = new WeakSet<ArrayBuffer>();
  private freeBytes = 0;
  /** Debug counters (tests, benchmarks): take() answered from the free lists / with new memory. */
  reused = 0;
  allocated = 0;

  constructor(private readonly maxFreeBytes: number) {}

  /** Memory held for reuse now. */
  get heldBytes(): number {
    return this.freeBytes;
  }

  /**
   * A buffer of `size` bytes over pooled memory whose capacity (`.buffer`) is the size class, or
   * null when `size` is outside the pooled classes (the caller allocates).
   */
  take(size: number): Buffer | null {
    if (size > MAX_CLASS) return null;
    let cls = MIN_CLASS;
    while (cls < size) cls *= 2;
    const list = this.free.get(cls);
    let ab = list?.pop();
    if (ab) {
      this.freeBytes -= cls;
      this.reused++;
    } else {
      ab = Buffer.allocUnsafeSlow(cls).buffer as ArrayBuffer;
      this.allocated++;
    }
    this.lent.add(ab);
    return Buffer.from(ab, 0, size);
  }

  /**
   * Give back the memory under `buf` (a buffer from take(), or a view of one). Its caller promises
   * no view of it is used afterwards. Memory the pool did not lend, or already got back, is ignored.
   */
  give(buf: Buffer): void {
    const ab = buf.buffer as ArrayBuffer;
    if (!this.lent.has(ab)) return;
    this.lent.delete(ab);
    const cls = ab.byteLength;
    if (this.freeBytes + cls > this.maxFreeBytes) return;
    const list = this.free.get(cls);
    if (list) list.push(ab);
    else this.free.set(cls, [ab]);
    this.freeBytes += cls;
  }
}

/**
 * Buffers for one request's file reads, carved out of pooled slabs: alloc() bumps through the
 * current slab and takes another when it is full. rewind() reuses them from the start (the
 * caller drops every buffer it got before); release() gives them all back to the pool.
 */
export class ReadBuffers {
  private readonly slabs: Buffer[] = [];
  /** Index of the slab being filled and the first free byte in it. */
  private slab = 0;
  private used = 0;

  constructor(private readonly pool: BufferPool) {}

  alloc(length: number): Buffer {
    while (this.slab < this.slabs.length) {
      const s = this.slabs[this.slab]!;
      if (s.length - this.used >= length) {
        const out = s.subarray(this.used, this.used + length);
        this.used += length;
        return out;
      }
      this.slab++;
      this.used = 0;
    }
    const taken = this.pool.take(Math.max(length, MIN_CLASS));
    if (!taken) return Buffer.allocUnsafe(length);
    const s = Buffer.from(taken.buffer, 0, taken.buffer.byteLength);
    this.slabs.push(s);
    this.slab = this.slabs.length - 1;
    this.used = length;
    return s.subarray(0, length);
  }

  rewind(): void {
    this.slab = 0;
    this.used = 0;
  }

  release(): void {
    for (const s of this.slabs) this.pool.give(s);
    this.slabs.length = 0;
    this.rewind();
  }
}

/** Request frames (connection.ts): 32 MiB kept at most, about 32 produce requests of 1 MiB. */
export const framePool = new BufferPool(32 * 1024 * 1024);
/** Fetch reads (connection.ts, 01-fetch.ts): 64 MiB kept at most. */
export const readPool = new BufferPool(64 * 1024 * 1024);
