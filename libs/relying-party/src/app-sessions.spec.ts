import { describe, expect, it, jest } from '@jest/globals';
import { ExpiringMap } from './app-sessions.js';

describe('ExpiringMap', () => {
  it('forgets an entry after its time', () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const map = new ExpiringMap<string>(1_000, 10);
      map.set('a', 'one');
      jest.setSystemTime(999);
      expect(map.get('a')).toBe('one');
      jest.setSystemTime(1_000);
      expect(map.get('a')).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });

  it('holds at most its limit, dropping the oldest first', () => {
    const map = new ExpiringMap<number>(60_000, 2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3);
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([undefined, 2, 3]);
  });

  it('replaces only what it still holds, keeping the expiry', () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const map = new ExpiringMap<number>(1_000, 10);
      map.set('a', 1);
      jest.setSystemTime(600);
      expect(map.replace('a', 2)).toBe(true);
      expect(map.get('a')).toBe(2);
      jest.setSystemTime(1_000);
      expect(map.get('a')).toBeUndefined();
      expect(map.replace('gone', 3)).toBe(false);
      expect(map.get('gone')).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });

  it('gives what is taken once', () => {
    const map = new ExpiringMap<number>(60_000, 2);
    map.set('state', 1);
    expect(map.take('state')).toBe(1);
    expect(map.take('state')).toBeUndefined();
  });
});
