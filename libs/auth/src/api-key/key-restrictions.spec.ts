import { describe, expect, it } from '@jest/globals';
import { indexAllowed, refererAllowed, sourceAllowed } from './key-restrictions.js';

describe('key restrictions', () => {
  it('matches index names and patterns with a leading or trailing *', () => {
    expect(indexAllowed(['products'], 'products')).toBe(true);
    expect(indexAllowed(['prod*'], 'products')).toBe(true);
    expect(indexAllowed(['*ucts'], 'products')).toBe(true);
    expect(indexAllowed(['*'], 'products')).toBe(true);
    expect(indexAllowed(['movies', 'dev_*'], 'products')).toBe(false);
    expect(indexAllowed([], 'products')).toBe(false);
  });

  it('matches referers against Algolia-style patterns and refuses a missing one', () => {
    expect(refererAllowed(['https://shop.example.com/*'], 'https://shop.example.com/search?q=1')).toBe(true);
    expect(refererAllowed(['https://shop.example.com/*'], 'https://evil.example.net/https://shop.example.com/')).toBe(false);
    expect(refererAllowed(['*.example.com'], 'https://shop.example.com/page')).toBe(true);
    expect(refererAllowed(['*.example.com'], 'https://example.com.evil.net/')).toBe(false);
    expect(refererAllowed(['*.example.com'], 'https://shop.example.com.evil.net/')).toBe(false);
    expect(refererAllowed(['*.example.com'], 'not a url')).toBe(false);
    expect(refererAllowed(['https://*.example.com/*'], 'https://shop.example.com/cart')).toBe(true);
    expect(refererAllowed(['https://*.example.com/*'], 'https://evil.example.net/x.example.com/')).toBe(false);
    expect(refererAllowed(['https://shop.example.com'], 'https://shop.example.com/any/page')).toBe(true);
    expect(refererAllowed(['https://shop.example.com/search'], 'https://shop.example.com/cart')).toBe(false);
    expect(refererAllowed(['https://shop.example.com/*'], 'http://shop.example.com/')).toBe(false);
    expect(refererAllowed(['https://shop.example.com/*'], undefined)).toBe(false);
  });

  it('checks the client address against one IPv4 address or range', () => {
    expect(sourceAllowed('192.168.1.0/24', '192.168.1.77')).toBe(true);
    expect(sourceAllowed('192.168.1.0/24', '::ffff:192.168.1.77')).toBe(true);
    expect(sourceAllowed('192.168.1.0/24', '192.168.2.1')).toBe(false);
    expect(sourceAllowed('127.0.0.1', '127.0.0.1')).toBe(true);
    expect(sourceAllowed('127.0.0.1', '::1')).toBe(false);
    expect(sourceAllowed('127.0.0.1', undefined)).toBe(false);
  });
});
