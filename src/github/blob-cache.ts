/**
 * File contents by git blob sha, least recently used evicted first, bounded
 * by total size. A blob sha names its contents for good, so one cache is
 * shared by every run and every repository: a re-check after a push fetches
 * only the blobs the push changed.
 */
export class BlobCache {
  private readonly entries = new Map<string, string>();
  private bytes = 0;

  constructor(readonly maxBytes = 64 * 1024 * 1024) {}

  get(sha: string): string | undefined {
    const value = this.entries.get(sha);
    if (value !== undefined) {
      // Re-insert so that Map order is recency order.
      this.entries.delete(sha);
      this.entries.set(sha, value);
    }
    return value;
  }

  set(sha: string, value: string): void {
    const size = sizeOf(value);
    if (size > this.maxBytes) return; // never cache something that would evict everything
    const previous = this.entries.get(sha);
    if (previous !== undefined) {
      this.entries.delete(sha);
      this.bytes -= sizeOf(previous);
    }
    this.entries.set(sha, value);
    this.bytes += size;
    for (const [oldest, text] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= sizeOf(text);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }
}

function sizeOf(text: string): number {
  // UTF-16 code units, two bytes each: close enough to the memory a string holds.
  return text.length * 2;
}
