import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TEST_REDIS_URL, waitFor } from '@sso/testing';
import { RevocationService } from '../src/index.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { TestIssuer } from '@sso/testing';

describe('token verification against a real JWKS', () => {
  const issuer = new TestIssuer();
  let service: TestApp;

  const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${path}`, { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });

  beforeAll(async () => {
    await issuer.start();
    await issuer.addKey('RS256');
    service = await startTestApp({
      issuer: issuer.issuer,
      audience: 'billing',
      algorithms: ['RS256', 'PS256', 'ES256'],
      redisUrl: TEST_REDIS_URL,
      namespace: `test:auth:${randomUUID()}:`,
      jwksRefetchIntervalMs: 500,
    });
    await waitFor(() => service.app.get(RevocationService).mode === 'live', 'revocation state loaded');
  });
  afterAll(async () => {
    await service?.close();
    await issuer.close();
  });

  it('accepts a valid token and hands the route a typed principal', async () => {
    const response = await get('/things', await issuer.sign({ scope: 'billing:read product:read' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ kind: 'user', subject: 'user-1', scopes: ['billing:read', 'product:read'], clientId: 'web', sessionId: 'session-1' });
  });

  it('accepts an ES256 token from the same JWKS', async () => {
    const ec = await issuer.addKey('ES256');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await get('/things', await issuer.sign({}, { key: ec }))).status).toBe(200);
  });

  it('accepts a PS256 token from the same JWKS', async () => {
    const pss = await issuer.addKey('PS256');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await get('/things', await issuer.sign({}, { key: pss }))).status).toBe(200);
  });

  it('answers 401 with an RFC 6750 challenge and the error body when the token is missing', async () => {
    const response = await get('/things', undefined, { 'x-request-id': 'no-token-1' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="a bearer access token is required"');
    expect(await response.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'a bearer access token is required', code: 'missing_token', requestId: 'no-token-1' });
  });

  it('answers 403 insufficient_scope naming every scope the route needs', async () => {
    const response = await fetch(`${service.url}/things`, { method: 'POST', headers: { authorization: `Bearer ${await issuer.sign()}` } });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="billing:read billing:write"');
    expect(await response.json()).toMatchObject({ statusCode: 403, code: 'insufficient_scope', message: 'missing scope: billing:write' });
  });

  it('keeps @Public() routes open, with no principal', async () => {
    const response = await get('/things/open');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ principal: false });
  });

  it('refuses an API key on a route that allows one while no key verifier is configured (403, as Algolia)', async () => {
    const response = await get('/things/search', undefined, { 'x-algolia-api-key': 'k'.repeat(32), 'x-algolia-application-id': 'SSODEMO' });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'api_key_refused' });
  });

  it('runs a custom guard after the library guard, with the principal', async () => {
    expect((await get('/things/owners/user-1', await issuer.sign())).status).toBe(200);
    const other = await get('/things/owners/user-2', await issuer.sign());
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ code: 'not_owner' });
    expect((await get('/things/owners/user-2', await issuer.sign({ scope: 'billing:read billing:admin' }))).status).toBe(200);
    expect((await get('/things/owners/user-2', await issuer.sign({ sub: 'billing', client_id: 'billing', sid: undefined }))).status).toBe(200);
    // Without the route's scope the library's guard refuses before the custom guard runs.
    expect((await get('/things/owners/user-1', await issuer.sign({ scope: 'product:read' }))).status).toBe(403);
  });

  it('accepts a new kid after a key rotation with one JWKS refetch', async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = issuer.jwksFetches;
    const next = await issuer.addKey('RS256');
    const token = await issuer.sign({}, { key: next });
    expect((await get('/things', token)).status).toBe(200);
    expect((await get('/things', await issuer.sign({}, { key: next }))).status).toBe(200);
    expect(issuer.jwksFetches - before).toBe(1);
  });

  it('fetches the JWKS at most a handful of times for 1,000 requests with random unknown kids', async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = issuer.jwksFetches;
    const started = Date.now();
    const statuses: number[] = [];
    for (let batch = 0; batch < 20; batch += 1) {
      const answers = await Promise.all(
        Array.from({ length: 50 }, async () => (await get('/things', await issuer.sign({}, { header: { kid: randomUUID() } }))).status),
      );
      statuses.push(...answers);
    }
    const fetches = issuer.jwksFetches - before;
    expect(new Set(statuses)).toEqual(new Set([401]));
    // One fetch per refetch interval (500 ms here) at most, whatever the traffic.
    expect(fetches).toBeGreaterThanOrEqual(1);
    expect(fetches).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 500) + 1);
    expect(fetches).toBeLessThanOrEqual(10);
  });

  it('counts decisions by outcome and reason on /metrics', async () => {
    const token = await issuer.sign();
    await get('/things', token);
    await get('/things', token);
    const text = await (await get('/metrics')).text();
    expect(text).toMatch(/sso_auth_decisions_total\{outcome="accepted",reason="verified",service="billing"\} \d+/);
    expect(text).toMatch(/sso_auth_decisions_total\{outcome="accepted",reason="cached",service="billing"\} \d+/);
    expect(text).toMatch(/sso_auth_decisions_total\{outcome="rejected",reason="unknown_key",service="billing"\} \d+/);
    expect(text).toMatch(/sso_auth_decisions_total\{outcome="rejected",reason="insufficient_scope",service="billing"\} \d+/);
    expect(text).toMatch(/sso_auth_decisions_total\{outcome="rejected",reason="missing_token",service="billing"\} \d+/);
  });

  it('never writes a token into the logs', async () => {
    const token = await issuer.sign();
    await get('/things', `${token}x`);
    const signature = token.split('.')[2];
    expect(JSON.stringify(service.logs)).not.toContain(signature);
  });

});
