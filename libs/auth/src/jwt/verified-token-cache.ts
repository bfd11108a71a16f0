import type { VerifiedToken } from './verified-token.js';

/**
 * Verified tokens by their exact text, until they expire. Bounded, least recently used first:
 * past `maxEntries` the entry unused the longest goes, so a flood of distinct valid tokens costs
 * memory only up to the bound and never pushes out the tokens in steady use. A Map keeps
 * insertion order; a hit moves its entry to the end.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, VerifiedToken>();

  constructor(private readonly maxEntries: number) {}

  get(token: string, nowMs = Date.now()): VerifiedToken | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (entry.expiresAtMs <= nowMs) {
      this.entries.delete(token);
      return undefined;
    }
    this.entries.delete(token);
    this.entries.set(token, entry);
    return entry;
  }

  set(token: string, verified: VerifiedToken): void {
    if (this.maxEntries === 0) return;
    // A token verified again (two requests raced on a miss) replaces itself, evicting nothing.
    if (!this.entries.delete(token) && this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, verified);
  }

  get size(): number {
    return this.entries.size;
  }
}
