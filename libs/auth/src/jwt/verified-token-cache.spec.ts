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

  it('drops the least recently used entry past its bound', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('a', entry(9e15));
    cache.set('b', entry(9e15));
    cache.get('a');
    cache.set('c', entry(9e15));
    expect([cache.get('a'), cache.get('b'), cache.get('c')].map(Boolean)).toEqual([true, false, true]);
  });

  it('keeps a token in steady use through a stream of distinct tokens ten times its bound', () => {
    const cache = new VerifiedTokenCache(100);
    const hot = entry(9e15);
    cache.set('hot', hot);
    for (let index = 0; index < 1_000; index++) {
      cache.set(`once-${index}`, entry(9e15));
      if (index % 50 === 0) expect(cache.get('hot')).toBe(hot);
    }
    expect(cache.get('hot')).toBe(hot);
    expect(cache.size).toBe(100);
    expect(cache.get('once-0')).toBeUndefined();
  });

  it('replaces a token set twice without evicting another', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('a', entry(9e15));
    cache.set('b', entry(9e15));
    const again = entry(9e15);
    cache.set('b', again);
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('b')).toBe(again);
  });

  it('keeps nothing when its bound is 0', () => {
    const cache = new VerifiedTokenCache(0);
    cache.set('a', entry(9e15));
    expect(cache.get('a')).toBeUndefined();
  });
});
