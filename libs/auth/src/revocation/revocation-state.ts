import { REVOCATION_KINDS, type RevocationEvent, type RevocationKind, type RevocationLookup } from '@sso/contracts';

/** The revocation sorted sets of Redis, held in memory: kind → value → score. */
export class RevocationState {
  private readonly sets = new Map<RevocationKind, Map<string, number>>(REVOCATION_KINDS.map((kind) => [kind, new Map()]));

  /** For `revocationReason()` of @sso/contracts. */
  readonly lookup: RevocationLookup = (kind, value) => this.sets.get(kind)?.get(value);

  /** Keeps the later score: a cut-off only ever moves forward, and replays are harmless. */
  apply({ kind, value, score }: Pick<RevocationEvent, 'kind' | 'value' | 'score'>): void {
    const set = this.sets.get(kind) as Map<string, number>;
    const current = set.get(value);
    if (current === undefined || score > current) set.set(value, score);
  }

  /** Adds every entry of `other` (the later score wins, as in `apply`). */
  merge(other: RevocationState): void {
    for (const [kind, set] of other.sets) for (const [value, score] of set) this.apply({ kind, value, score });
  }

  /** Drops jti entries of tokens that have expired anyway (their score is the token's exp). */
  pruneExpired(beforeSeconds: number): void {
    const jti = this.sets.get('jti') as Map<string, number>;
    for (const [value, exp] of jti) if (exp < beforeSeconds) jti.delete(value);
  }

  get size(): number {
    let total = 0;
    for (const set of this.sets.values()) total += set.size;
    return total;
  }
}
