import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startRedisServer, waitFor, type TestRedisServer } from '@sso/testing';
import { RevocationService } from '../src/index.js';
import { RevocationWriter } from './support/revocation-writer.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { TestIssuer } from '@sso/testing';

describe('revocation while Redis or the channel is down (a redis-server of our own)', () => {
  const issuer = new TestIssuer();
  const namespace = 'sso:';
  let redis: TestRedisServer;
  let writer: RevocationWriter;
  let service: TestApp;
  let revocation: RevocationService;
  let preRevoked: string;
  let preRevokedClaims: Record<string, unknown>;

  const answer = (token: string) => fetch(`${service.url}/things`, { headers: { authorization: `Bearer ${token}` } });
  const status = async (token: string) => (await answer(token)).status;

  beforeAll(async () => {
    await issuer.start();
    await issuer.addKey('RS256');
    redis = await startRedisServer();
    writer = await new RevocationWriter(redis.url, namespace).connect();
    preRevokedClaims = issuer.claims();
    preRevoked = await issuer.sign(preRevokedClaims);
    await writer.revoke('jti', preRevokedClaims.jti as string, preRevokedClaims.exp as number, { publish: false });
    service = await startTestApp({ issuer: issuer.issuer, audience: 'billing', redisUrl: redis.url, namespace });
    revocation = service.app.get(RevocationService);
    await waitFor(() => revocation.mode === 'live', 'revocation state loaded');
  });
  afterAll(async () => {
    await service?.close();
    await writer?.close();
    await redis?.stop();
    await issuer.close();
  });

  it('loads the state written before it started', async () => {
    expect(await status(preRevoked)).toBe(401);
  });

  it('asks Redis per request while the subscription is down, then resynchronises', async () => {
    const clients = (await writer.redis.sendCommand(['CLIENT', 'LIST'])) as string;
    const subscriberId = /id=(\d+) [^\n]*name=billing:revocation-sub/.exec(clients)?.[1];
    expect(subscriberId).toBeDefined();
    // Keep the subscriber from reconnecting: no room for one more client.
    await writer.redis.sendCommand(['CONFIG', 'SET', 'maxclients', String(clients.trim().split('\n').length - 1)]);
    await writer.redis.sendCommand(['CLIENT', 'KILL', 'ID', subscriberId as string]);
    await waitFor(() => revocation.mode === 'fallback', 'the guard to notice the lost subscription', 2_000, 5);

    // Written but not published: only a per-request lookup can see it.
    const claims = issuer.claims();
    const token = await issuer.sign(claims);
    expect(await status(token)).toBe(200);
    await writer.revoke('jti', claims.jti as string, claims.exp as number, { publish: false });
    expect(await status(token)).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(revocation.mode).toBe('fallback');

    await writer.redis.sendCommand(['CONFIG', 'SET', 'maxclients', '10000']);
    await waitFor(() => revocation.mode === 'live', 'the subscription to come back and the state to reload', 5_000, 10);
    expect(await status(token)).toBe(401);
    const later = issuer.claims();
    const laterToken = await issuer.sign(later);
    expect(await status(laterToken)).toBe(200);
    await writer.revoke('jti', later.jti as string, later.exp as number);
    await waitFor(async () => (await status(laterToken)) === 401, 'a pushed revocation after the resync', 100, 2);
  });

  it('fails closed (503) while Redis is down and recovers without a restart', async () => {
    const token = await issuer.sign();
    expect(await status(token)).toBe(200);
    await redis.stop();
    await waitFor(() => revocation.mode === 'fallback', 'the guard to notice the outage', 2_000, 5);
    const refused = await answer(token);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="the revocation state cannot be checked right now"');
    expect(await refused.json()).toMatchObject({ statusCode: 503, code: 'revocation_unavailable' });
    expect(refused.headers.get('retry-after')).toBe('1');
    // An outage is logged once, by what noticed it; refused requests add no error lines.
    for (let index = 0; index < 20; index++) expect(await status(token)).toBe(503);
    expect(service.logs.filter((line) => (line.level as number) >= 50)).toEqual([]);
    // Public routes do not depend on Redis, and a service starts while Redis is down.
    expect((await fetch(`${service.url}/things/open`)).status).toBe(200);
    const second = await startTestApp({ issuer: issuer.issuer, audience: 'billing', redisUrl: redis.url, namespace }, undefined, { markWhole: false });
    try {
      const refusedToo = await fetch(`${second.url}/things`, { headers: { authorization: `Bearer ${token}` } });
      expect(refusedToo.status).toBe(503);
    } finally {
      await second.close();
    }

    await redis.start();
    // The restarted server is empty (no persistence): no marker, so the guard trusts nothing
    // of it. What it knew is still refused; what it cannot decide is 503, not a guess.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(revocation.mode).toBe('fallback');
    expect(await status(preRevoked)).toBe(401);
    expect(await status(token)).toBe(503);
    // The owner rebuilds and marks the projection: the guard goes live again, without a restart.
    await waitFor(() => writer.redis.isReady, 'the writer to reconnect', 10_000, 20);
    await writer.revoke('jti', preRevokedClaims.jti as string, preRevokedClaims.exp as number, { publish: false });
    await writer.markWhole();
    await waitFor(() => revocation.mode === 'live', 'the guard to resynchronise', 10_000, 20);
    expect(await status(token)).toBe(200);
    expect(await status(preRevoked)).toBe(401);
    // Revocations flow again at once.
    const claims = issuer.claims();
    const next = await issuer.sign(claims);
    await writer.revoke('jti', claims.jti as string, claims.exp as number);
    await waitFor(async () => (await status(next)) === 401, 'a pushed revocation after the outage', 100, 2);
  });
});
