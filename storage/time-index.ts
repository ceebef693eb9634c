// Sparse time index (.timeindex, Kafka's TimeIndex): 12-byte entries (int64 timestamp, int32 offset −
// segment base). Entry (T, o): T is the largest timestamp among records up to offset o. Entries
// are added only when the segment's max timestamp has grown, so timestamps increase.

import { writeInt64 } from '../protocol/records/index.js';
import type { FileSystem } from './fs/file-system.js';
import { IndexFile } from './index-file.js';

export const TIME_INDEX_ENTRY_SIZE = 12;

export class TimeIndex extends IndexFile {
  private upperOffset = Infinity;

  constructor(path: string, baseOffset: number, fs?: FileSystem) {
    super(path, baseOffset, TIME_INDEX_ENTRY_SIZE, fs);
  }

  /** load() with an offset bound: every entry's offset < upperOffset. */
  loadChecked(upperOffset: number): string | null {
    this.upperOffset = upperOffset;
    return this.load();
  }

  /** attach() with the same bound, checked on the first and last entries. */
  attachChecked(upperOffset: number): string | null {
    this.upperOffset = upperOffset;
    return this.attach();
  }

  protected problem(): string | null {
    let prevTs = -Infinity;
    let prevRel = -1;
    for (let i = 0; i < this.count; i++) {
      const ts = this.int64(i * 12);
      const rel = this.int32(i * 12 + 8);
      if (ts <= prevTs) return `entry ${i} timestamp ${ts} does not increase`;
      if (rel < prevRel || rel < 0) return `entry ${i} offset ${this.baseOffset + rel} goes backwards`;
      if (this.baseOffset + rel >= this.upperOffset) return `entry ${i} offset ${this.baseOffset + rel} is past the segment`;
      prevTs = ts;
      prevRel = rel;
    }
    return null;
  }

  protected quickProblem(): string | null {
    const last = this.count - 1;
    const ts = this.int64(last * 12);
    const rel = this.int32(last * 12 + 8);
    if (rel < 0) return `last entry offset ${this.baseOffset + rel} is below the base offset`;
    if (this.baseOffset + rel >= this.upperOffset) return `last entry offset ${this.baseOffset + rel} is past the segment`;
    if (last > 0 && ts < this.int64(0)) return `last entry timestamp ${ts} is below the first`;
    return null;
  }

  protected keyAt(slot: number): number {
    return this.int64(slot * 12);
  }

  /** Add (timestamp, offset) if the timestamp is above the last entry's (TimeIndex.maybeAppend). */
  maybeAppend(timestamp: number, offset: number): void {
    if (offset < this.baseOffset) return;
    const last = this.lastEntry();
    if (last && (timestamp <= last.timestamp || offset < last.offset)) return;
    const at = this.nextSlot();
    writeInt64(this.writable, at, timestamp);
    this.writable.writeInt32BE(offset - this.baseOffset, at + 8);
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
    while (n > 0 && this.baseOffset + this.int32((n - 1) * 12 + 8) >= offset) n--;
    return n === 0 ? null : this.entryAt(n - 1);
  }

  /** Drop entries for offsets >= offset (log truncation). */
  truncateToOffset(offset: number): void {
    let n = this.count;
    while (n > 0 && this.baseOffset + this.int32((n - 1) * 12 + 8) >= offset) n--;
    this.truncateToEntries(n);
  }

  /** Kafka counts the time index full one entry early (entries >= maxEntries − 1). */
  isFull(maxIndexBytes: number): boolean {
    return this.count >= Math.floor(maxIndexBytes / TIME_INDEX_ENTRY_SIZE) - 1;
  }

  entryAt(slot: number): { timestamp: number; offset: number } {
    return { timestamp: this.int64(slot * 12), offset: this.baseOffset + this.int32(slot * 12 + 8) };
  }
}
