// Sparse offset index (.index, Kafka's OffsetIndex): 8-byte entries (int32 offset − segment base,
// int32 byte position in .log). Entry (o, p) says the data written from p on ends at offset o.

import type { FileSystem } from './fs/file-system.js';
import { IndexFile } from './index-file.js';

export const OFFSET_INDEX_ENTRY_SIZE = 8;

export class OffsetIndex extends IndexFile {
  /** Largest byte position an entry may point at (the .log size) and offset bound, for checks. */
  private limits: { logSize: number; upperOffset: number } = { logSize: Infinity, upperOffset: Infinity };

  constructor(path: string, baseOffset: number, fs?: FileSystem) {
    super(path, baseOffset, OFFSET_INDEX_ENTRY_SIZE, fs);
  }

  /** load() with bounds: every position < logSize and every offset < upperOffset. */
  loadChecked(logSize: number, upperOffset: number): string | null {
    this.limits = { logSize, upperOffset };
    return this.load();
  }

  /** attach() with the same bounds, checked on the last entry only. */
  attachChecked(logSize: number, upperOffset: number): string | null {
    this.limits = { logSize, upperOffset };
    return this.attach();
  }

  protected problem(): string | null {
    let prevRel = -1;
    let prevPos = -1;
    for (let i = 0; i < this.count; i++) {
      const rel = this.int32(i * 8);
      const pos = this.int32(i * 8 + 4);
      if (rel <= prevRel && !(i === 0 && rel === 0)) return `entry ${i} offset ${this.baseOffset + rel} does not increase`;
      if (pos <= prevPos) return `entry ${i} position ${pos} does not increase`;
      const bad = this.outOfBounds(i, rel, pos);
      if (bad) return bad;
      prevRel = rel;
      prevPos = pos;
    }
    return null;
  }

  protected quickProblem(): string | null {
    const last = this.count - 1;
    const rel = this.int32(last * 8);
    const pos = this.int32(last * 8 + 4);
    if (rel < 0) return `last entry offset ${this.baseOffset + rel} is below the base offset`;
    if (last > 0 && (rel <= this.int32(0) || pos <= this.int32(4))) return 'last entry is not above the first';
    return this.outOfBounds(last, rel, pos);
  }

  private outOfBounds(i: number, rel: number, pos: number): string | null {
    if (pos < 0 || pos >= this.limits.logSize) return `entry ${i} position ${pos} is past the log end ${this.limits.logSize}`;
    if (this.baseOffset + rel >= this.limits.upperOffset) return `entry ${i} offset ${this.baseOffset + rel} is past the segment`;
    return null;
  }

  protected keyAt(slot: number): number {
    return this.int32(slot * 8);
  }

  append(offset: number, position: number): void {
    const at = this.nextSlot();
    this.writable.writeInt32BE(offset - this.baseOffset, at);
    this.writable.writeInt32BE(position, at + 4);
    this.commitSlot();
  }

  /** Byte position to start scanning from for `offset` (largest entry <= offset; 0 if none). */
  lookup(offset: number): number {
    const slot = this.floorSlot(offset - this.baseOffset);
    return slot < 0 ? 0 : this.int32(slot * 8 + 4);
  }

  /** Offset and position of entry `slot`. */
  entryAt(slot: number): { offset: number; position: number } {
    return { offset: this.baseOffset + this.int32(slot * 8), position: this.int32(slot * 8 + 4) };
  }

  /** Offset and position of the last entry, or null. */
  lastEntry(): { offset: number; position: number } | null {
    return this.count === 0 ? null : this.entryAt(this.count - 1);
  }

  /** Drop entries pointing at `position` or later (log truncation). */
  truncateToPosition(position: number): void {
    let n = this.count;
    while (n > 0 && this.int32((n - 1) * 8 + 4) >= position) n--;
    this.truncateToEntries(n);
  }

  isFull(maxIndexBytes: number): boolean {
    return this.count >= Math.floor(maxIndexBytes / OFFSET_INDEX_ENTRY_SIZE);
  }
}
