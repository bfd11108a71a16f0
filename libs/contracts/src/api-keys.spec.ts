import { describe, expect, it } from '@jest/globals';
import { apiKeyHash, decodeApiKeyEvent, decodeApiKeyRecord, encodeApiKeyEvent, encodeApiKeyRecord, isWellFormedApiKey, mintApiKey, type ApiKeyRecord } from './api-keys.js';

const record: Omit<ApiKeyRecord, 'v'> = {
  id: 'key-1',
  appId: 'SSODEMO',
  acl: ['search'],
  indexes: ['products'],
  referers: [],
  maxHitsPerQuery: 0,
  maxQueriesPerIPPerHour: 0,
  queryParameters: '',
  expiresAt: null,
  deletedAt: null,
  version: 1_764_000_000_000,
};

describe('API keys', () => {
  it('mints distinct, recognisable keys with a checksum', () => {
    const keys = new Set(Array.from({ length: 200 }, () => mintApiKey()));
    expect(keys.size).toBe(200);
    for (const key of keys) {
      expect(key).toMatch(/^ak_[0-9A-Za-z]{38}$/);
      expect(isWellFormedApiKey(key)).toBe(true);
    }
  });

  it('refuses a key with a changed character, a wrong prefix or a wrong length', () => {
    const key = mintApiKey();
    const changed = key.slice(0, 10) + (key[10] === 'a' ? 'b' : 'a') + key.slice(11);
    expect(isWellFormedApiKey(changed)).toBe(false);
    expect(isWellFormedApiKey(`xk_${key.slice(3)}`)).toBe(false);
    expect(isWellFormedApiKey(key.slice(0, -1))).toBe(false);
    expect(isWellFormedApiKey('2640659426d5107b6e47d75db9cbaef8')).toBe(false);
  });

  it('hashes keys with SHA-256', () => {
    expect(apiKeyHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('round-trips records and events, and refuses malformed ones', () => {
    expect(decodeApiKeyRecord(encodeApiKeyRecord(record))).toEqual({ ...record, v: 1 });
    expect(decodeApiKeyRecord(JSON.stringify({ ...record, v: 1, acl: 'search' }))).toBeUndefined();
    expect(decodeApiKeyRecord('not json')).toBeUndefined();
    const hash = apiKeyHash('x');
    expect(decodeApiKeyEvent(encodeApiKeyEvent(hash, record))).toEqual({ v: 1, hash, record: { ...record, v: 1 } });
    expect(decodeApiKeyEvent(encodeApiKeyEvent(hash, null))).toEqual({ v: 1, hash, record: null });
    expect(decodeApiKeyEvent(JSON.stringify({ v: 1, hash: 'short', record: null }))).toBeUndefined();
    expect(decodeApiKeyEvent(JSON.stringify({ v: 2, hash, record: null }))).toBeUndefined();
  });
});
