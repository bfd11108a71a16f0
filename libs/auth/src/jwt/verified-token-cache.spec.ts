import { describe, expect, it } from '@jest/globals';
import type { VerifiedToken } from './verified-token.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

const entry = (expiresAtMs: number) => ({ expiresAtMs }) as VerifiedToken;

describe('VerifiedTokenCache', () => {
  it('returns an entry until it expires, then forgets it', () => {
    const cache = new VerifiedTokenCache(10);
    cache.set('a', entry(1_000));
    expect(cache.get('a', 999)).toBeDefined();
    expect(cache.get('a', 1_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops the oldest entry past its bound', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('a', entry(9e15));
    cache.set('b', entry(9e15));
    cache.set('c', entry(9e15));
    expect([cache.get('a'), cache.get('b'), cache.get('c')].map(Boolean)).toEqual([false, true, true]);
  });

  it('keeps nothing when its bound is 0', () => {
    const cache = new VerifiedTokenCache(0);
    cache.set('a', entry(9e15));
    expect(cache.get('a')).toBeUndefined();
  });
});
