import type { VerifiedToken } from './verified-token.js';

/**
 * Verified tokens by their exact text, until they expire. Bounded: past `maxEntries` the
 * oldest entry goes first, so a flood of distinct valid tokens costs memory only up to the bound.
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
    return entry;
  }

  set(token: string, verified: VerifiedToken): void {
    if (this.maxEntries === 0) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, verified);
  }

  get size(): number {
    return this.entries.size;
  }
}
