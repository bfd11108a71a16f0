import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { apiKeyHash, mintApiKey } from '@sso/contracts';
import { ADDRESSED_KEY, redactKeyInPath, type RequestWithAddressedKey } from '../http/key-path-redaction.js';
import { keyAddressOf } from './key-address.js';

const redacted = (url: string) => {
  const request = { url } as RequestWithAddressedKey;
  let called = false;
  redactKeyInPath(request, {} as never, () => (called = true));
  expect(called).toBe(true);
  return { url: request.url, addressed: request[ADDRESSED_KEY] };
};

describe('the path of a key route', () => {
  const key = mintApiKey();

  it('loses the key before anything logs it: the segment becomes its SHA-256, the key is set aside', () => {
    expect(redacted(`/1/keys/${key}`)).toEqual({ url: `/1/keys/${apiKeyHash(key)}`, addressed: key });
    expect(redacted(`/1/keys/${key}/restore?x-algolia-agent=js`)).toEqual({ url: `/1/keys/${apiKeyHash(key)}/restore?x-algolia-agent=js`, addressed: key });
    // Express matches routes case-insensitively, so the redaction must too.
    expect(redacted(`/1/KEYS/${key}`)).toEqual({ url: `/1/keys/${apiKeyHash(key)}`, addressed: key });
    expect(redacted(`/1/Keys/${key}/restore`)).toEqual({ url: `/1/keys/${apiKeyHash(key)}/restore`, addressed: key });
    const nearMiss = `${key.slice(0, -1)}x`;
    expect(redacted(`/1/keys/${nearMiss}`)).toEqual({ url: `/1/keys/${apiKeyHash(nearMiss)}`, addressed: nearMiss });
  });

  it('keeps ids and other paths as they are', () => {
    const id = randomUUID();
    expect(redacted(`/1/keys/${id}`)).toEqual({ url: `/1/keys/${id}`, addressed: undefined });
    for (const url of ['/1/keys', '/1/keys?x-algolia-agent=js', '/admin/audit-events', '/health/live']) expect(redacted(url)).toEqual({ url, addressed: undefined });
  });

  it('names a key by id, by the key, or not at all', () => {
    const id = randomUUID();
    expect(keyAddressOf(id.toUpperCase())).toEqual({ by: 'id', id });
    expect(keyAddressOf(apiKeyHash(key), key)).toEqual({ by: 'hash', hash: apiKeyHash(key), key });
    expect(keyAddressOf(key)).toEqual({ by: 'hash', hash: apiKeyHash(key), key });
    expect(keyAddressOf(apiKeyHash('ak_123'), 'ak_123')).toBeUndefined();
    expect(keyAddressOf('not-a-key')).toBeUndefined();
  });
});
