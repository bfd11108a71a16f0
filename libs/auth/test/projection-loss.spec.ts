import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiKeyWriter, startRedisServer, TestIssuer, waitFor, type TestRedisServer } from '@sso/testing';
import { ApiKeyStore, RevocationService } from '../src/index.js';
import { RevocationWriter } from './support/revocation-writer.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Redis forgetting what its owners wrote (a flush while connected, a replica that lagged) must
 * never bring back a revoked token or a deleted key: the guard keeps what it knew, trusts
 * Redis again only once its owner has marked a whole projection, and refuses (503) what it
 * cannot decide meanwhile.
 */
describe('a guard when Redis forgets its projections (a redis-server of our own)', () => {
  const namespace = 'sso:';
  const checkIntervalMs = 200;
  const issuer = new TestIssuer();
  let redis: TestRedisServer;
  let revocations: RevocationWriter;
  let keys: ApiKeyWriter;
  let service: TestApp;

  const withToken = async (token: string) => (await fetch(`${service.url}/things`, { headers: { authorization: `Bearer ${token}` } })).status;
  const withKey = async (key: string) => (await fetch(`${service.url}/things/search`, { headers: { 'x-algolia-api-key': key, 'x-algolia-application-id': 'SSODEMO' } })).status;
  const live = () => service.app.get(RevocationService).mode === 'live' && service.app.get(ApiKeyStore).mode === 'live';

  beforeAll(async () => {
    await issuer.start();
    await issuer.addKey('RS256');
    redis = await startRedisServer();
    revocations = await new RevocationWriter(redis.url, namespace).connect();
    keys = await new ApiKeyWriter(redis.url, namespace, 'loss-secret').connect();
    service = await startTestApp({ issuer: issuer.issuer, audience: 'billing', redisUrl: redis.url, namespace, subscriberCheckIntervalMs: checkIntervalMs, apiKeys: { applicationId: 'SSODEMO', encryptionSecret: 'loss-secret' } });
    await waitFor(live, 'both projections to load');
  });
  afterAll(async () => {
    await service?.close();
    await Promise.all([revocations?.close(), keys?.close()]);
    await redis?.stop();
    await issuer.close();
  });

  it('keeps refusing what it knew through a FLUSHALL, answers 503 for the rest, and recovers once the owners rebuild', async () => {
    const valid = await issuer.sign();
    const revokedClaims = issuer.claims();
    const revoked = await issuer.sign(revokedClaims);
    await revocations.revoke('jti', revokedClaims.jti as string, revokedClaims.exp as number);
    const { key: kept, record: keptRecord } = await keys.create();
    const { key: deleted, record: deletedRecord } = await keys.create();
    await keys.put(deleted, { ...deletedRecord, deletedAt: Math.floor(Date.now() / 1000) });
    await waitFor(async () => (await withToken(revoked)) === 401 && (await withKey(deleted)) === 403 && (await withKey(kept)) === 200, 'the state to arrive');

    await revocations.redis.flushAll();
    await waitFor(async () => (await withToken(valid)) === 503, 'the guard to notice the flush', 5 * checkIntervalMs + 1_000, 20);
    expect(await (await fetch(`${service.url}/metrics`)).text()).toMatch(/sso_projection_live\{projection="revocation"[^}]*\} 0/);
    // What memory knew is still refused; nothing it cannot decide is accepted.
    expect(await withToken(revoked)).toBe(401);
    expect(await withKey(deleted)).toBe(403);
    expect(await withKey(kept)).toBe(503);

    // The owners rebuild from their databases, then mark the projections whole.
    await revocations.revoke('jti', revokedClaims.jti as string, revokedClaims.exp as number, { publish: false });
    await keys.put(kept, keptRecord);
    await keys.put(deleted, { ...deletedRecord, deletedAt: Math.floor(Date.now() / 1000) });
    await Promise.all([revocations.markWhole(), keys.markWhole()]);
    await waitFor(live, 'the guard to go live on the new generation', 5_000, 20);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    for (const projection of ['revocation', 'api-keys']) {
      expect(metrics).toMatch(new RegExp(`sso_projection_live\\{projection="${projection}"[^}]*\\} 1`));
      expect(metrics).toMatch(new RegExp(`sso_projection_generation_age_seconds\\{projection="${projection}"[^}]*\\} \\d`));
    }
    expect(await withToken(valid)).toBe(200);
    expect(await withToken(revoked)).toBe(401);
    expect(await withKey(kept)).toBe(200);
    expect(await withKey(deleted)).toBe(403);
  });

  it('merges what a reconnect loads into what it knew while the generation is the same (a replica that lagged)', async () => {
    const revokedClaims = issuer.claims();
    const revoked = await issuer.sign(revokedClaims);
    await revocations.revoke('jti', revokedClaims.jti as string, revokedClaims.exp as number);
    await waitFor(async () => (await withToken(revoked)) === 401, 'the revocation to arrive');
    // The entry is lost without the marker changing, and the subscription is dropped: the guard reloads the same generation.
    await revocations.redis.zRem(`${namespace}revoked:jti`, revokedClaims.jti as string);
    const subscribers = async (): Promise<string[]> => ((await revocations.redis.sendCommand(['CLIENT', 'LIST', 'TYPE', 'pubsub'])) as string).match(/(?<=^id=)\d+/gm) ?? [];
    const killed = await subscribers();
    await revocations.redis.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
    // A new subscription means the old one was lost, and the guard fell back (how briefly is a matter of load).
    await waitFor(async () => (await subscribers()).some((id) => !killed.includes(id)), 'the guard to subscribe again', 5_000, 20);
    await waitFor(() => service.app.get(RevocationService).mode === 'live', 'the guard to resynchronise', 5_000, 20);
    expect(await withToken(revoked)).toBe(401);
  });
});
