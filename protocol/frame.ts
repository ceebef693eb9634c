// Size-prefixed framing (Kafka's NetworkReceive): every request and response is `int32 size` then
// `size` bytes. FrameDecoder is fed socket chunks and hands back whole frames. As NetworkReceive
// does, it reads the 4-byte size first and checks it (negative, or above socket.request.max.bytes:
// the stream cannot be followed, FrameTooLargeError) before allocating anything, then allocates the
// frame's one buffer (from `allocate`) and copies the following chunks into it: nothing grows while a frame arrives.
// A frame lying whole inside one chunk is handed back as a view of that chunk instead (no copy).
//
// `reserve(size)` is asked before a frame's bytes are kept (the broker's request memory pool,
// broker/limits/request-pool.ts, as NetworkReceive asks Kafka's MemoryPool): when it refuses, the
// decoder keeps the bytes it was given and reports `waitingForMemory`; retry() tries again.

import { FrameTooLargeError } from './errors.js';

export class FrameDecoder {
  private readonly sizeBytes = Buffer.alloc(4);
  private sizeHave = 0;
  /** The frame being filled, once its size is known and reserved. */
  private current: Buffer | null = null;
  private have = 0;
  /** Size read and checked, waiting for `reserve` to accept it (-1: none). */
  private unreserved = -1;
  /** Bytes received while waiting for memory (at most the chunk that was in hand). */
  private held: Buffer | null = null;

  constructor(
    private readonly maxFrameBytes: number,
    private readonly reserve: (size: number) => boolean = () => true,
    /** Memory for a frame that spans chunks (broker/buffer-pool.ts lends reused memory). */
    private readonly allocate: (size: number) => Buffer = (size) => Buffer.allocUnsafe(size),
  ) {}

  /** Bytes received but not yet returned as a frame. */
  get buffered(): number {
    return this.sizeHave + this.have + (this.held?.length ?? 0);
  }

  /** A frame's size is known but the memory pool has not granted it yet. */
  get waitingForMemory(): boolean {
    return this.unreserved >= 0;
  }

  /** Ask the pool again for the frame that was waiting; returns the frames this completes. */
  retry(): Buffer[] {
    const held = this.held ?? Buffer.alloc(0);
    this.held = null;
    return this.push(held);
  }

  /** Add a chunk; returns the frames it completed (without their size prefix). */
  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    let at = 0;
    if (this.held) {
      chunk = Buffer.concat([this.held, chunk]);
      this.held = null;
    }
    while (at < chunk.length || this.unreserved >= 0) {
      if (this.unreserved < 0 && this.current === null) {
        if (this.sizeHave < 4) {
          // The common case, a size prefix inside the chunk, is read in place.
          if (this.sizeHave === 0 && chunk.length - at >= 4) {
            this.unreserved = this.check(chunk.readInt32BE(at));
            at += 4;
          } else {
            const n = Math.min(4 - this.sizeHave, chunk.length - at);
            chunk.copy(this.sizeBytes, this.sizeHave, at, at + n);
            this.sizeHave += n;
            at += n;
            if (this.sizeHave < 4) break;
            this.sizeHave = 0;
            this.unreserved = this.check(this.sizeBytes.readInt32BE(0));
          }
        }
      }
      if (this.unreserved >= 0) {
        const size = this.unreserved;
        if (size > 0 && !this.reserve(size)) {
          if (at < chunk.length) this.held = chunk.subarray(at);
          return frames;
        }
        this.unreserved = -1;
        if (chunk.length - at >= size) {
          frames.push(chunk.subarray(at, at + size));
          at += size;
          continue;
        }
        this.current = this.allocate(size);
        this.have = 0;
      }
      const frame = this.current!;
      const n = Math.min(frame.length - this.have, chunk.length - at);
      chunk.copy(frame, this.have, at, at + n);
      this.have += n;
      at += n;
      if (this.have === frame.length) {
        frames.push(frame);
        this.current = null;
        this.have = 0;
      }
    }
    return frames;
  }

  /** NetworkReceive's checks on a size prefix. */
  private check(size: number): number {
    if (size < 0 || size > this.maxFrameBytes) throw new FrameTooLargeError(size, this.maxFrameBytes);
    return size;
  }
}

/** Prefix a payload with its int32 size. */
export function frame(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(payload.length + 4);
  out.writeInt32BE(payload.length, 0);
  payload.copy(out, 4);
  return out;
}
