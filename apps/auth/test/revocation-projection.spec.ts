import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeProjectionGeneration, projectionGenerationKey, revocationKey } from '@sso/contracts';
import { startRedisServer, waitFor, type TestRedisServer } from '@sso/testing';
import { DataSource } from 'typeorm';
import { Revocation } from '../src/revocation/revocation.entity.js';
import { RevocationProjectionKeeper } from '../src/revocation/revocation-projection.keeper.js';
import { RevocationStore } from '../src/revocation/revocation.store.js';
import { ADMIN_PASSWORD, bearer, startAuth, type AuthHarness } from './auth-harness.js';
import { entriesInDatabase, entriesInRedis, markerOf, projectionRebuilt } from './projection-support.js';

interface Tokens {
  access_token: string;
  refresh_token: string;
}

describe('the revocation projection in a Redis that forgets', () => {
  let redis: TestRedisServer;
  let auth: AuthHarness;
  let adminToken: string;
  /** Revoked during setup, one of each kind a user can cause. */
  let revokedToken: string;
  let loggedOutToken: string;

  const ns = () => auth.testEnv.namespace;
  const userinfoStatus = async (token: string) => (await fetch(`${auth.url}/userinfo`, { headers: bearer(token) })).status;
  const loginAs = async (username: string, password: string) => (await (await auth.login(username, password)).json()) as Tokens;
  const rebuildLogs = () => auth.logs.lines.filter((line) => String(line.msg).startsWith('projection rebuilt')).map((line) => String(line.msg));

  beforeAll(async () => {
    redis = await startRedisServer();
    auth = await startAuth({ REDIS_URL: redis.url, AUTH_PROJECTION_CHECK_INTERVAL_MS: '200' });
    await projectionRebuilt(auth, auth.redis);
    adminToken = await auth.adminToken();
    revokedToken = (await loginAs('admin', ADMIN_PASSWORD)).access_token;
    expect((await auth.post('/oauth/revoke', { token: revokedToken })).status).toBe(200);
    loggedOutToken = (await loginAs('admin', ADMIN_PASSWORD)).access_token;
    expect((await fetch(`${auth.url}/auth/logout`, { method: 'POST', headers: bearer(loggedOutToken) })).status).toBe(204);
    const user = (await (await auth.post('/admin/users', { username: 'heidi', password: 'heidi-password-1', scopes: [] }, { json: true, headers: bearer(adminToken) })).json()) as { id: string };
    expect((await fetch(`${auth.url}/admin/users/${user.id}/revoke`, { method: 'POST', headers: bearer(adminToken) })).status).toBe(204);
  });
  /** Stops Redis for `during`, then starts it again (empty), whatever happens. */
  const withRedisStopped = async (during: () => Promise<void>) => {
    await redis.stop();
    try {
      await waitFor(() => !auth.redis.isReady, 'Redis to be seen as down');
      await during();
    } finally {
      await redis.start();
    }
  };

  afterAll(async () => {
    await auth?.close();
    await redis?.stop();
  });

  it('gives a Redis restarted empty back every revocation and a new generation, without a restart of auth', async () => {
    const before = await markerOf(auth.redis, ns());
    const expected = await entriesInDatabase(auth);
    expect(Object.keys(expected.jti)).toHaveLength(1);
    expect(Object.keys(expected.sid)).toHaveLength(1);
    expect(Object.keys(expected.sub)).toHaveLength(1);

    await withRedisStopped(async () => undefined);
    const after = await projectionRebuilt(auth, auth.redis, { after: before!.generation });

    expect(await entriesInRedis(auth.redis, ns())).toEqual(expected);
    expect(after.builtAt).toBeGreaterThan(before!.builtAt);
    expect(rebuildLogs().some((message) => message.includes('Redis became ready'))).toBe(true);
    // Auth itself still refuses what was revoked before Redis forgot it, and accepts the rest.
    expect(await userinfoStatus(revokedToken)).toBe(401);
    expect(await userinfoStatus(loggedOutToken)).toBe(401);
    expect(await userinfoStatus((await loginAs('admin', ADMIN_PASSWORD)).access_token)).toBe(200);
  });

  it('rebuilds after a FLUSHALL on a live connection within about the check interval', async () => {
    const before = await markerOf(auth.redis, ns());
    const expected = await entriesInDatabase(auth);
    await auth.redis.flushAll();
    // The check runs every 200 ms; the bound is generous, the reconnect path is not involved.
    await projectionRebuilt(auth, auth.redis, { after: before!.generation, timeoutMs: 3_000 });
    expect(await entriesInRedis(auth.redis, ns())).toEqual(expected);
    expect(rebuildLogs().some((message) => message.includes('marker missing'))).toBe(true);
    expect(await userinfoStatus(revokedToken)).toBe(401);
    const metrics = await (await fetch(`${auth.url}/metrics`)).text();
    expect(metrics).toMatch(/sso_projection_rebuilds_total\{[^}]*projection="revocations"[^}]*reason="marker missing"[^}]*\} [1-9]/);
  });

  it('keeps a revocation Redis could not take (503) and projects it once Redis is back', async () => {
    const tokens = await loginAs('admin', ADMIN_PASSWORD);
    const { sid } = await auth.verify(tokens.access_token);
    const before = await markerOf(auth.redis, ns());
    await withRedisStopped(async () => {
      // Through the refresh token: revoking it needs no access-token check, which Redis would be needed for.
      const revoke = await auth.post('/oauth/revoke', { token: tokens.refresh_token });
      expect(revoke.status).toBe(503);
      expect(await auth.app.get(RevocationStore).score('sid', sid as string)).not.toBeNull();
    });
    await projectionRebuilt(auth, auth.redis, { after: before!.generation });
    expect(await auth.redis.zScore(revocationKey(ns(), 'sid'), sid as string)).toBe(await auth.app.get(RevocationStore).score('sid', sid as string));
    expect(await userinfoStatus(tokens.access_token)).toBe(401);
  });

  it('owes a rebuild when Redis refuses a write while connected, and never accepts the token meanwhile', async () => {
    const tokens = await loginAs('admin', ADMIN_PASSWORD);
    const { sid } = await auth.verify(tokens.access_token);
    const before = await markerOf(auth.redis, ns());
    await auth.redis.sendCommand(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
    await auth.redis.sendCommand(['CONFIG', 'SET', 'maxmemory', '1']);
    try {
      expect((await auth.post('/oauth/revoke', { token: tokens.refresh_token })).status).toBe(503);
      // Redis still holds the old projection, without this revocation: auth reads its database instead.
      const during = await fetch(`${auth.url}/userinfo`, { headers: bearer(tokens.access_token) });
      expect(await during.json()).toMatchObject({ statusCode: 401 });
    } finally {
      await auth.redis.sendCommand(['CONFIG', 'SET', 'maxmemory', '0']);
    }
    // The owed rebuild runs once Redis takes writes again, and puts the session's cut-off in.
    await projectionRebuilt(auth, auth.redis, { after: before!.generation });
    expect(await auth.redis.zScore(revocationKey(ns(), 'sid'), sid as string)).not.toBeNull();
    expect(await userinfoStatus(tokens.access_token)).toBe(401);
  });

  it('replaces another database’s projection with its own and never mixes the two', async () => {
    const ours = await entriesInDatabase(auth);
    const foreign = encodeProjectionGeneration({ generation: 'foreign-generation', source: 'another-database', builtAt: Date.now() });
    // As another deployment's auth would leave it: its marker and its entries beside ours.
    await auth.redis
      .multi()
      .set(projectionGenerationKey(ns(), 'revocations'), foreign)
      .zAdd(revocationKey(ns(), 'jti'), { score: 4_000_000_000, value: 'foreign-jti' })
      .zAdd(revocationKey(ns(), 'sub'), { score: 4_000_000_000, value: 'foreign-user' })
      .zAdd(revocationKey(ns(), 'kid'), { score: 1_000, value: 'foreign-key' })
      .exec();

    await projectionRebuilt(auth, auth.redis, { after: 'foreign-generation', timeoutMs: 5_000 });
    expect(await entriesInRedis(auth.redis, ns())).toEqual(ours);
    expect(rebuildLogs().some((message) => message.includes('marker of another database') && message.includes('removed'))).toBe(true);
  });

  it('projects only live rows: a row past use is not written back', async () => {
    const now = Math.floor(Date.now() / 1000);
    await auth.app.get(DataSource).getRepository(Revocation).insert({ kind: 'jti', value: 'long-expired', score: now - 3_600 });
    const before = await markerOf(auth.redis, ns());
    await auth.redis.del(projectionGenerationKey(ns(), 'revocations'));
    await projectionRebuilt(auth, auth.redis, { after: before!.generation, timeoutMs: 5_000 });
    expect(await auth.redis.zScore(revocationKey(ns(), 'jti'), 'long-expired')).toBeNull();
  });
});

describe('two databases behind one Redis namespace', () => {
  let first: AuthHarness;
  let second: AuthHarness;
  let firstRevoked: string;
  const namespace = () => first.testEnv.namespace;
  const userinfoStatus = async (auth: AuthHarness, token: string) => (await fetch(`${auth.url}/userinfo`, { headers: bearer(token) })).status;
  const accessToken = async (auth: AuthHarness) => ((await (await auth.login('admin', ADMIN_PASSWORD)).json()) as Tokens).access_token;

  beforeAll(async () => {
    // Long check intervals: the test decides when each one looks at the marker.
    first = await startAuth({ AUTH_PROJECTION_CHECK_INTERVAL_MS: '60000' });
    await projectionRebuilt(first, first.redis);
    firstRevoked = await accessToken(first);
    expect((await first.post('/oauth/revoke', { token: firstRevoked })).status).toBe(200);
    second = await startAuth({ REDIS_NAMESPACE: namespace(), AUTH_PROJECTION_CHECK_INTERVAL_MS: '60000' }, 'postgres');
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('a newcomer replaces the projection with its own database’s, and the first auth still refuses what it revoked', async () => {
    await projectionRebuilt(second, second.redis, { namespace: namespace() });
    expect(await entriesInRedis(first.redis, namespace())).toEqual(await entriesInDatabase(second));
    expect(await first.redis.zScore(revocationKey(namespace(), 'jti'), (await first.verify(firstRevoked)).jti!)).toBeNull();
    // Redis holds another database's facts: the first auth decides from its own database.
    expect(await userinfoStatus(first, firstRevoked)).toBe(401);
    expect(await userinfoStatus(first, await accessToken(first))).toBe(200);
  }, 30_000);

  it('the first auth, at its next check, puts its own back and removes the newcomer’s', async () => {
    const secondRevoked = await accessToken(second);
    expect((await second.post('/oauth/revoke', { token: secondRevoked })).status).toBe(200);
    expect(await first.redis.zScore(revocationKey(namespace(), 'jti'), (await second.verify(secondRevoked)).jti!)).not.toBeNull();

    await first.app.get(RevocationProjectionKeeper).keeper.check();
    await projectionRebuilt(first, first.redis);
    expect(await entriesInRedis(first.redis, namespace())).toEqual(await entriesInDatabase(first));
    expect(await userinfoStatus(first, firstRevoked)).toBe(401);
  });

  it('with the projection gone and no rebuild yet, the auth decides from its database', async () => {
    const keys = await first.redis.keys(`${namespace()}*`);
    await first.redis.del(keys);
    expect(await markerOf(first.redis, namespace())).toBeUndefined();
    expect(await userinfoStatus(first, firstRevoked)).toBe(401);
    expect(await userinfoStatus(first, await accessToken(first))).toBe(200);
  });
});
