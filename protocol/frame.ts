// Size-prefixed framing (Kafka's NetworkReceive): every request and response is `int32 size` then
// `size` bytes. FrameDecoder is fed socket chunks and hands back whole frames; it checks a
// frame's declared size against the limit before buffering any of it.

import { FrameTooLargeError } from './errors.js';

export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private need = -1; // size of the frame being assembled, -1 while the prefix is incomplete

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes received but not yet returned as a frame. */
  get buffered(): number {
    return this.pendingBytes;
  }

  /** Add a chunk; returns the frames it completed (without their size prefix). */
  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    for (;;) {
      if (this.need < 0) {
        if (this.pendingBytes < 4) break;
        const size = this.peekInt32();
        if (size < 0 || size > this.maxFrameBytes) throw new FrameTooLargeError(size, this.maxFrameBytes);
        this.take(4);
        this.need = size;
      }
      if (this.pendingBytes < this.need) break;
      frames.push(this.take(this.need));
      this.need = -1;
    }
    return frames;
  }

  private peekInt32(): number {
    const first = this.pending[0]!;
    if (first.length >= 4) return first.readInt32BE(0);
    return this.concatAll().readInt32BE(0);
  }

  private concatAll(): Buffer {
    const all = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [all];
    return all;
  }

  /** Remove and return the next n bytes (a view when they sit in one chunk). */
  private take(n: number): Buffer {
    let first = this.pending[0]!;
    if (first.length < n) first = this.concatAll();
    const out = first.subarray(0, n);
    if (first.length === n) this.pending.shift();
    else this.pending[0] = first.subarray(n);
    this.pendingBytes -= n;
    return out;
  }
}

/** Prefix a payload with its int32 size. */
export function frame(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(payload.length + 4);
  out.writeInt32BE(payload.length, 0);
  payload.copy(out, 4);
  return out;
}
