import { LruMap } from '../lru-map.js';
import type { VerifiedToken } from './verified-token.js';

/** Verified tokens by their exact text, until they expire; bounded, least recently used first out. */
export class VerifiedTokenCache {
  private readonly entries: LruMap<string, VerifiedToken>;

  constructor(maxEntries: number) {
    this.entries = new LruMap(maxEntries);
  }

  get(token: string, nowMs = Date.now()): VerifiedToken | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined || entry.expiresAtMs > nowMs) return entry;
    this.entries.delete(token);
    return undefined;
  }

  set(token: string, verified: VerifiedToken): void {
    this.entries.set(token, verified);
  }

  get size(): number {
    return this.entries.size;
  }
}
