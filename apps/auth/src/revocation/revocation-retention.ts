import type { RevocationKind } from '@sso/contracts';

/** Verifiers accept tokens up to this long past `exp`: an entry must outlive what it refuses by as much. */
export const CLOCK_TOLERANCE_SECONDS = 120;

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * The lowest score of a kind that can still refuse a live token, or undefined for a kind kept
 * for ever (kid). Entries below it are pruned by the same rule in Redis and in the database:
 * a jti once its token's `exp` plus the tolerance has passed; a sub/sid/client cut-off once
 * every token issued before it has expired (the access-token lifetime plus the tolerance).
 */
export function liveFrom(kind: RevocationKind, now: number, accessTokenTtlSeconds: number): number | undefined {
  if (kind === 'kid') return undefined;
  if (kind === 'jti') return now - CLOCK_TOLERANCE_SECONDS;
  return now - accessTokenTtlSeconds - CLOCK_TOLERANCE_SECONDS;
}
