import { describe, expect, it } from '@jest/globals';
import type { ApiKeyRecord } from '@sso/contracts';
import { apiKeyRecord } from '@sso/testing';
import { unfitForBrowsers } from './storefront-key.js';

/** Unix seconds, as a key record's times are. */
const NOW = 1_800_000_000;
const searchOnly: ApiKeyRecord = { v: 1, ...apiKeyRecord({ indexes: ['products'] }) };

describe('unfitForBrowsers', () => {
  it('lets a live search-only key into the page', () => {
    expect(unfitForBrowsers(searchOnly, NOW)).toBeUndefined();
    expect(unfitForBrowsers({ ...searchOnly, expiresAt: NOW + 1 }, NOW)).toBeUndefined();
    // An hour of validity left, checked against the clock.
    expect(unfitForBrowsers({ ...searchOnly, expiresAt: Math.floor(Date.now() / 1000) + 3_600 })).toBeUndefined();
  });

  it('keeps out a key that may do more than search, cannot search, or is gone', () => {
    expect(unfitForBrowsers({ ...searchOnly, acl: ['search', 'addObject', 'deleteObject'] }, NOW)).toBe('the key may also addObject, deleteObject: only a search-only key goes to browsers');
    expect(unfitForBrowsers({ ...searchOnly, acl: ['browse'] }, NOW)).toMatch(/may also browse/);
    expect(unfitForBrowsers({ ...searchOnly, acl: [] }, NOW)).toBe('the key cannot search');
    expect(unfitForBrowsers({ ...searchOnly, expiresAt: NOW }, NOW)).toBe('the key has expired');
    expect(unfitForBrowsers({ ...searchOnly, deletedAt: NOW - 1 }, NOW)).toBe('the key does not exist');
    expect(unfitForBrowsers(undefined, NOW)).toBe('the key does not exist');
  });
});
