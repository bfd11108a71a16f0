import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startRedisServer, waitFor, type TestRedisServer } from '@sso/testing';
import { ADMIN_PASSWORD, bearer, startAuth, type AuthHarness } from './auth-harness.js';

describe('the auth service while Redis is down', () => {
  let redis: TestRedisServer;
  let auth: AuthHarness;

  beforeAll(async () => {
    redis = await startRedisServer();
    auth = await startAuth({ REDIS_URL: redis.url });
    await waitFor(() => auth.redis.isReady, 'Redis connection');
  });
  afterAll(async () => {
    await redis?.resume();
    await auth?.close();
    await redis?.stop();
  });

  it('answers 503 within seconds, not minutes, when Redis stops answering on an open connection', async () => {
    await redis.pause();
    try {
      const started = Date.now();
      const login = await auth.login('admin', ADMIN_PASSWORD);
      expect(login.status).toBe(503);
      // A generous bound: without the deadline the request waits until TCP gives up, minutes later.
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      await redis.resume();
    }
    await waitFor(async () => (await auth.login('admin', ADMIN_PASSWORD)).status === 200, 'login after Redis answers again', 15_000);
  });

  it('refuses to log in or revoke with a clear 503 rather than skipping its checks, and recovers by itself', async () => {
    const accessToken = async () => ((await (await auth.login('admin', ADMIN_PASSWORD)).json()) as { access_token: string }).access_token;
    const [revoked, kept] = [await accessToken(), await accessToken()];
    const userinfo = async (token: string) => (await fetch(`${auth.url}/userinfo`, { headers: bearer(token) })).status;
    await redis.stop();
    await waitFor(() => !auth.redis.isReady, 'Redis to be seen as down');

    const login = await auth.login('admin', ADMIN_PASSWORD);
    expect(login.status).toBe(503);
    expect(await login.json()).toMatchObject({ statusCode: 503, code: 'throttle_unavailable' });
    const revoke = await auth.post('/oauth/revoke', { token: revoked });
    expect(revoke.status).toBe(503);
    // Never accepted: refused as revoked when auth reads its database (its projection in Redis
    // owes a rebuild, so the revocation above reached the database before Redis failed), or as
    // undecidable (503) when it cannot read the revocation state at all.
    expect([401, 503]).toContain(await userinfo(revoked));

    await redis.start();
    await waitFor(() => auth.redis.isReady, 'Redis to be back', 15_000);
    expect((await auth.login('admin', ADMIN_PASSWORD)).status).toBe(200);
    expect(await userinfo(kept)).toBe(200);
    // The client retries the revocation it was answered 503 for, and it holds.
    expect((await auth.post('/oauth/revoke', { token: revoked })).status).toBe(200);
    await waitFor(async () => (await userinfo(revoked)) === 401, 'the revoked token to be refused');
  });
});
