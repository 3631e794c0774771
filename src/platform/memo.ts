/**
 * A bounded in-isolate map with per-entry expiry. An isolate serves many
 * requests, so a cached view it has already read can answer the next ones
 * without another Cache API lookup; entries never outlive the expiry their
 * cache entry carries, so the staleness bound stays the cache TTL.
 */
export class Memo<T> {
  private readonly entries = new Map<string, { value: T; expiresAtMs: number }>();

  constructor(private readonly max_entries: number) {}

  get(key: string, now_ms: number): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= now_ms) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T, expiresAtMs: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.max_entries) {
      // Oldest insertion first: Maps iterate in insertion order.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAtMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
