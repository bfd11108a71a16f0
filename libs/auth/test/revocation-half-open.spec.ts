import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startRedisServer, TestIssuer, waitFor, type TestRedisServer } from '@sso/testing';
import { RevocationService } from '../src/index.js';
import { RevocationWriter } from './support/revocation-writer.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * A frozen redis-server (SIGSTOP) is a faithful half-open connection: the TCP connections stay
 * open, nothing answers and no error is raised, as after a partition, a NAT or load-balancer
 * idle timeout or a failover without RST. Without the watchdog the guard would stay in live
 * mode on stale memory until TCP keepalive gives up (~12 minutes).
 */
describe('revocation when the subscriber connection goes silent (a redis-server of our own, frozen)', () => {
  const checkIntervalMs = 300;
  const commandTimeoutMs = 300;
  const issuer = new TestIssuer();
  const namespace = 'sso:';
  let redis: TestRedisServer;
  let writer: RevocationWriter;
  let service: TestApp;
  let revocation: RevocationService;

  const answer = (token: string) => fetch(`${service.url}/things`, { headers: { authorization: `Bearer ${token}` } });
  const status = async (token: string) => (await answer(token)).status;

  beforeAll(async () => {
    await issuer.start();
    await issuer.addKey('RS256');
    redis = await startRedisServer();
    writer = await new RevocationWriter(redis.url, namespace).connect();
    service = await startTestApp({
      issuer: issuer.issuer,
      audience: 'billing',
      redisUrl: redis.url,
      namespace,
      subscriberCheckIntervalMs: checkIntervalMs,
      redisCommandTimeoutMs: commandTimeoutMs,
    });
    revocation = service.app.get(RevocationService);
    await waitFor(() => revocation.mode === 'live', 'revocation state loaded');
  });
  afterAll(async () => {
    redis?.resume(); // never leave a frozen redis-server behind, whatever failed
    await service?.close();
    await writer?.close();
    await redis?.stop();
    await issuer.close();
  });

  it('leaves live mode within about two check intervals, refuses with 503, then resynchronises by itself after SIGCONT', async () => {
    const valid = await issuer.sign();
    const doomedClaims = issuer.claims();
    const doomed = await issuer.sign(doomedClaims);
    expect(await status(valid)).toBe(200);
    expect(await status(doomed)).toBe(200);
    expect(revocation.mode).toBe('live');

    let revokedWhileFrozen: Promise<void> | undefined;
    try {
      redis.pause();
      // At most one interval until the next PING, plus its timeout: 600 ms here. The bound is
      // generous for a loaded 2-core machine; the defect it guards against takes minutes.
      await waitFor(() => revocation.mode === 'fallback', 'the guard to notice the silent subscriber', 3_000, 10);

      // Fallback mode: each request asks Redis, which does not answer in time: fail closed.
      const refused = await answer(valid);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="the revocation state cannot be checked right now"');
      expect(await refused.json()).toMatchObject({ statusCode: 503, code: 'revocation_unavailable' });
      expect(revocation.mode).toBe('fallback');

      // Revoked while the guard is cut off, its event lost (not published): the writer's ZADD
      // waits in its socket and runs the moment Redis thaws, before the guard's new subscriber
      // has even finished its handshake, so only the resynchronisation's reload can see it.
      revokedWhileFrozen = writer.revoke('jti', doomedClaims.jti as string, doomedClaims.exp as number, { publish: false });
      revokedWhileFrozen.catch(() => undefined); // awaited below; no unhandled rejection if an assertion fails first
      await new Promise((resolve) => setTimeout(resolve, 2 * checkIntervalMs));
      expect(revocation.mode).toBe('fallback');
    } finally {
      redis.resume();
    }
    await revokedWhileFrozen;

    await waitFor(() => revocation.mode === 'live', 'the guard to resynchronise after SIGCONT', 10_000, 10);
    expect(await status(valid)).toBe(200);
    expect(await status(doomed)).toBe(401);
    // The new subscriber follows the channel: a pushed revocation is refused from memory.
    const later = issuer.claims();
    const laterToken = await issuer.sign(later);
    expect(await status(laterToken)).toBe(200);
    await writer.revoke('jti', later.jti as string, later.exp as number);
    await waitFor(async () => (await status(laterToken)) === 401, 'a pushed revocation after the resync', 1_000, 2);
    // The silent connection was torn down: one subscriber connection remains.
    const subscribers = async () => ((await writer.redis.sendCommand(['CLIENT', 'LIST'])) as string).match(/name=billing:revocation-sub/g)?.length;
    await waitFor(async () => (await subscribers()) === 1, 'one subscriber connection', 2_000);
  });
});
