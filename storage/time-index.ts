// Sparse time index (.timeindex, README §8.4): 12-byte entries (int64 timestamp, int32 offset −
// segment base). Entry (T, o): T is the largest timestamp among records up to offset o. Entries
// are added only when the segment's max timestamp has grown, so timestamps increase.

import { readInt64, writeInt64 } from '../protocol/records/index.js';
import { IndexFile } from './index-file.js';

export const TIME_INDEX_ENTRY_SIZE = 12;

export class TimeIndex extends IndexFile {
  private upperOffset = Infinity;

  constructor(path: string, baseOffset: number) {
    super(path, baseOffset, TIME_INDEX_ENTRY_SIZE);
  }

  /** load() with an offset bound: every entry's offset < upperOffset. */
  loadChecked(upperOffset: number): string | null {
    this.upperOffset = upperOffset;
    return this.load();
  }

  protected problem(): string | null {
    let prevTs = -Infinity;
    let prevRel = -1;
    for (let i = 0; i < this.count; i++) {
      const ts = readInt64(this.image, i * 12);
      const rel = this.image.readInt32BE(i * 12 + 8);
      if (ts <= prevTs) return `entry ${i} timestamp ${ts} does not increase`;
      if (rel < prevRel || rel < 0) return `entry ${i} offset ${this.baseOffset + rel} goes backwards`;
      if (this.baseOffset + rel >= this.upperOffset) return `entry ${i} offset ${this.baseOffset + rel} is past the segment`;
      prevTs = ts;
      prevRel = rel;
    }
    return null;
  }

  protected keyAt(slot: number): number {
    return readInt64(this.image, slot * 12);
  }

  /** Add (timestamp, offset) if the timestamp is above the last entry's (TimeIndex.maybeAppend). */
  maybeAppend(timestamp: number, offset: number): void {
    if (offset < this.baseOffset) return;
    const last = this.lastEntry();
    if (last && (timestamp <= last.timestamp || offset < last.offset)) return;
    const at = this.nextSlot();
    writeInt64(this.image, at, timestamp);
    this.image.writeInt32BE(offset - this.baseOffset, at + 8);
    this.commitSlot();
  }

  /** Largest entry with timestamp <= ts, or null. */
  lookup(ts: number): { timestamp: number; offset: number } | null {
    const slot = this.floorSlot(ts);
    return slot < 0 ? null : this.entryAt(slot);
  }

  lastEntry(): { timestamp: number; offset: number } | null {
    return this.count === 0 ? null : this.entryAt(this.count - 1);
  }

  /** Last entry whose offset is below `offset`, or null. */
  lastEntryBelow(offset: number): { timestamp: number; offset: number } | null {
    let n = this.count;
    while (n > 0 && this.baseOffset + this.image.readInt32BE((n - 1) * 12 + 8) >= offset) n--;
    return n === 0 ? null : this.entryAt(n - 1);
  }

  /** Drop entries for offsets >= offset (log truncation). */
  truncateToOffset(offset: number): void {
    let n = this.count;
    while (n > 0 && this.baseOffset + this.image.readInt32BE((n - 1) * 12 + 8) >= offset) n--;
    this.truncateToEntries(n);
  }

  /** Kafka counts the time index full one entry early (entries >= maxEntries − 1). */
  isFull(maxIndexBytes: number): boolean {
    return this.count >= Math.floor(maxIndexBytes / TIME_INDEX_ENTRY_SIZE) - 1;
  }

  private entryAt(slot: number): { timestamp: number; offset: number } {
    return { timestamp: readInt64(this.image, slot * 12), offset: this.baseOffset + this.image.readInt32BE(slot * 12 + 8) };
  }
}
