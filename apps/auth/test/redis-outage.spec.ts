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
    const tokens = (await (await auth.login('admin', ADMIN_PASSWORD)).json()) as { access_token: string };
    await redis.stop();
    await waitFor(() => !auth.redis.isReady, 'Redis to be seen as down');

    const login = await auth.login('admin', ADMIN_PASSWORD);
    expect(login.status).toBe(503);
    expect(await login.json()).toMatchObject({ statusCode: 503, code: 'throttle_unavailable' });
    const revoke = await auth.post('/oauth/revoke', { token: tokens.access_token });
    expect(revoke.status).toBe(503);
    // A token whose revocation state cannot be read is not accepted either.
    expect((await fetch(`${auth.url}/userinfo`, { headers: bearer(tokens.access_token) })).status).toBe(503);

    await redis.start();
    await waitFor(() => auth.redis.isReady, 'Redis to be back', 15_000);
    expect((await auth.login('admin', ADMIN_PASSWORD)).status).toBe(200);
    expect((await fetch(`${auth.url}/userinfo`, { headers: bearer(tokens.access_token) })).status).toBe(200);
  });
});
