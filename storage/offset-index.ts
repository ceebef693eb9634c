// Sparse offset index (.index, README §8.3): 8-byte entries (int32 offset − segment base,
// int32 byte position in .log). Entry (o, p) says the data written from p on ends at offset o.

import { IndexFile } from './index-file.js';

export const OFFSET_INDEX_ENTRY_SIZE = 8;

export class OffsetIndex extends IndexFile {
  /** Largest byte position an entry may point at (the .log size) and offset bound, for load(). */
  private limits: { logSize: number; upperOffset: number } = { logSize: Infinity, upperOffset: Infinity };

  constructor(path: string, baseOffset: number) {
    super(path, baseOffset, OFFSET_INDEX_ENTRY_SIZE);
  }

  /** load() with bounds: every position < logSize and every offset < upperOffset. */
  loadChecked(logSize: number, upperOffset: number): string | null {
    this.limits = { logSize, upperOffset };
    return this.load();
  }

  protected problem(): string | null {
    let prevRel = -1;
    let prevPos = -1;
    for (let i = 0; i < this.count; i++) {
      const rel = this.image.readInt32BE(i * 8);
      const pos = this.image.readInt32BE(i * 8 + 4);
      if (rel <= prevRel && !(i === 0 && rel === 0)) return `entry ${i} offset ${this.baseOffset + rel} does not increase`;
      if (pos <= prevPos) return `entry ${i} position ${pos} does not increase`;
      if (pos >= this.limits.logSize) return `entry ${i} position ${pos} is past the log end ${this.limits.logSize}`;
      if (this.baseOffset + rel >= this.limits.upperOffset) return `entry ${i} offset ${this.baseOffset + rel} is past the segment`;
      prevRel = rel;
      prevPos = pos;
    }
    return null;
  }

  protected keyAt(slot: number): number {
    return this.image.readInt32BE(slot * 8);
  }

  append(offset: number, position: number): void {
    const at = this.nextSlot();
    this.image.writeInt32BE(offset - this.baseOffset, at);
    this.image.writeInt32BE(position, at + 4);
    this.commitSlot();
  }

  /** Byte position to start scanning from for `offset` (largest entry <= offset; 0 if none). */
  lookup(offset: number): number {
    const slot = this.floorSlot(offset - this.baseOffset);
    return slot < 0 ? 0 : this.image.readInt32BE(slot * 8 + 4);
  }

  /** Offset and position of the last entry, or null. */
  lastEntry(): { offset: number; position: number } | null {
    if (this.count === 0) return null;
    const at = (this.count - 1) * 8;
    return { offset: this.baseOffset + this.image.readInt32BE(at), position: this.image.readInt32BE(at + 4) };
  }

  /** Drop entries pointing at `position` or later (log truncation). */
  truncateToPosition(position: number): void {
    let n = this.count;
    while (n > 0 && this.image.readInt32BE((n - 1) * 8 + 4) >= position) n--;
    this.truncateToEntries(n);
  }

  isFull(maxIndexBytes: number): boolean {
    return this.count >= Math.floor(maxIndexBytes / OFFSET_INDEX_ENTRY_SIZE);
  }
}
