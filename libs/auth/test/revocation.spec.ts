import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RevocationKind } from '@sso/contracts';
import { TEST_REDIS_URL, waitFor } from '@sso/testing';
import { RevocationService } from '../src/index.js';
import { RevocationWriter } from './support/revocation-writer.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { TestIssuer } from '@sso/testing';

describe('revocation pushed from Redis', () => {
  const issuer = new TestIssuer();
  const namespace = `test:auth:${randomUUID()}:`;
  const writer = new RevocationWriter(TEST_REDIS_URL, namespace);
  let service: TestApp;

  const status = async (token: string) => (await fetch(`${service.url}/things`, { headers: { authorization: `Bearer ${token}` } })).status;

  beforeAll(async () => {
    await issuer.start();
    await issuer.addKey('RS256');
    await writer.connect();
    service = await startTestApp({ issuer: issuer.issuer, audience: 'billing', redisUrl: TEST_REDIS_URL, namespace, jwksRefetchIntervalMs: 500 });
    await waitFor(() => service.app.get(RevocationService).mode === 'live', 'revocation state loaded');
  });
  afterAll(async () => {
    await service?.close();
    await writer.cleanUp();
    await writer.close();
    await issuer.close();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const cases: Array<[string, RevocationKind, Record<string, unknown>, (claims: Record<string, unknown>) => string]> = [
    ['a token (jti)', 'jti', {}, (claims) => claims.jti as string],
    ['a session (sid)', 'sid', { sid: `s-${randomUUID()}` }, (claims) => claims.sid as string],
    ['a subject (sub)', 'sub', { sub: `u-${randomUUID()}` }, (claims) => claims.sub as string],
    ['a client (client_id)', 'client', { client_id: `c-${randomUUID()}` }, (claims) => claims.client_id as string],
  ];

  it.each(cases)('refuses %s within 100 ms of the revocation, though the token is cached', async (_name, kind, overrides, valueOf) => {
    const claims = issuer.claims({ ...overrides, iat: now() - 10 });
    const token = await issuer.sign(claims);
    expect(await status(token)).toBe(200);
    expect(await status(token)).toBe(200);
    const revokedAt = Date.now();
    await writer.revoke(kind, valueOf(claims), kind === 'jti' ? (claims.exp as number) : now() - 5);
    await waitFor(async () => (await status(token)) === 401, `${kind} revocation to reach the guard`, 100, 2);
    expect(Date.now() - revokedAt).toBeLessThan(100 + 50);
    if (kind !== 'jti') {
      // A cut-off refuses only tokens issued before it: the user can sign in again.
      expect(await status(await issuer.sign({ ...overrides, iat: now() }))).toBe(200);
    }
  });

  it('refuses every token of a removed key within 100 ms', async () => {
    const doomed = await issuer.addKey('RS256');
    await new Promise((resolve) => setTimeout(resolve, 10));
    const token = await issuer.sign({}, { key: doomed });
    await waitFor(async () => (await status(token)) === 200, 'the new key to be fetched', 2_000, 100);
    await writer.revoke('kid', doomed.kid, now());
    await waitFor(async () => (await status(token)) === 401, 'kid revocation to reach the guard', 100, 2);
    const response = await fetch(`${service.url}/things`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="the token has been revoked (kid)"');
    expect(await response.json()).toMatchObject({ code: 'revoked' });
  });

  it('ignores malformed channel messages', async () => {
    const token = await issuer.sign();
    await writer.redis.publish(`${namespace}revocations`, '{"v":2,"kind":"jti"}');
    await writer.redis.publish(`${namespace}revocations`, 'not json');
    expect(await status(token)).toBe(200);
  });
});
