/**
 * A Map bounded to `maxEntries`, least recently used first out: past the bound the entry unused
 * the longest goes, so a flood of distinct keys costs memory only up to the bound and never
 * pushes out the keys in steady use. A Map keeps insertion order; a hit moves its entry to the
 * end. A bound of 0 keeps nothing.
 */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly maxEntries: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    if (this.maxEntries === 0) return;
    // A key set again (two requests raced on a miss) replaces itself, evicting nothing.
    if (!this.entries.delete(key) && this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, value);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
