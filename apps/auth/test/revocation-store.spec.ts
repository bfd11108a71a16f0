import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeProjectionGeneration, projectionGenerationKey, revocationKey, type RevocationKind } from '@sso/contracts';
import { waitFor } from '@sso/testing';
import { DataSource } from 'typeorm';
import { Revocation } from '../src/revocation/revocation.entity.js';
import { RevocationPruner } from '../src/revocation/revocation.pruner.js';
import { RevocationStore } from '../src/revocation/revocation.store.js';
import { ADMIN_PASSWORD, bearer, startAuth, type AuthHarness } from './auth-harness.js';

interface Tokens {
  access_token: string;
  refresh_token: string;
}

describe.each(['sqlite', 'postgres'] as const)('revocations owned by the database (%s)', (database) => {
  let auth: AuthHarness;
  let adminToken: string;
  let store: RevocationStore;

  const row = (kind: RevocationKind, value: string) => auth.app.get(DataSource).getRepository(Revocation).findOneBy({ kind, value });
  const inRedis = (kind: RevocationKind, value: string) => auth.redis.zScore(revocationKey(auth.testEnv.namespace, kind), value);
  const loginAs = async (username: string, password: string) => (await (await auth.login(username, password)).json()) as Tokens;
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${auth.url}${path}`, { method, headers: { 'content-type': 'application/json', ...bearer(adminToken) }, body: body === undefined ? undefined : JSON.stringify(body) });

  beforeAll(async () => {
    auth = await startAuth({}, database);
    adminToken = await auth.adminToken();
    store = auth.app.get(RevocationStore);
  });
  afterAll(async () => {
    await auth?.close();
  });

  it('records every kind of revocation as a row, with the score Redis holds', async () => {
    // jti: /oauth/revoke of an access token
    const revoked = await loginAs('admin', ADMIN_PASSWORD);
    const { jti, exp } = await auth.verify(revoked.access_token);
    expect((await auth.post('/oauth/revoke', { token: revoked.access_token })).status).toBe(200);
    // sid: logout
    const loggedOut = await loginAs('admin', ADMIN_PASSWORD);
    const { sid } = await auth.verify(loggedOut.access_token);
    expect((await fetch(`${auth.url}/auth/logout`, { method: 'POST', headers: bearer(loggedOut.access_token) })).status).toBe(204);
    // sub: the admin revokes a user
    const user = (await (await admin('POST', '/admin/users', { username: 'grace', password: 'grace-password-1', scopes: [] })).json()) as { id: string };
    expect((await admin('POST', `/admin/users/${user.id}/revoke`)).status).toBe(204);
    // client (and sub): a client is deleted
    const client = (await (await admin('POST', '/admin/clients', { name: 'gone', scopes: ['billing:read'] })).json()) as { client_id: string };
    expect((await admin('DELETE', `/admin/clients/${client.client_id}`)).status).toBe(204);
    // kid: a signing key is deleted
    const { items: keys } = (await (await admin('GET', '/admin/signing-keys')).json()) as { items: Array<{ kid: string; state: string }> };
    const next = keys.find((key) => key.state === 'next')!;
    expect((await admin('DELETE', `/admin/signing-keys/${next.kid}`)).status).toBe(204);

    const expected: Array<[RevocationKind, string]> = [['jti', jti!], ['sid', sid as string], ['sub', user.id], ['client', client.client_id], ['sub', client.client_id], ['kid', next.kid]];
    for (const [kind, value] of expected) {
      const stored = await row(kind, value);
      expect({ kind, value, stored: stored !== null }).toEqual({ kind, value, stored: true });
      expect(stored!.score).toBe(await inRedis(kind, value));
    }
    expect((await row('jti', jti!))!.score).toBe(exp);
  });

  it('records a reused refresh token’s session', async () => {
    const tokens = await loginAs('admin', ADMIN_PASSWORD);
    const { sid } = await auth.verify(tokens.access_token);
    expect((await auth.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).status).toBe(200);
    // A replay after the concurrent-use grace ends the session.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await auth.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).status).toBe(400);
    expect(await row('sid', sid as string)).not.toBeNull();
  });

  it('keeps the greater score of two writes, as ZADD GT does', async () => {
    await store.record('sub', 'late-and-early', 2_000_000_000);
    await store.record('sub', 'late-and-early', 1_900_000_000);
    expect(await store.score('sub', 'late-and-early')).toBe(2_000_000_000);
    await store.record('sub', 'late-and-early', 2_000_000_100);
    expect(await store.score('sub', 'late-and-early')).toBe(2_000_000_100);
  });

  it('prunes rows past use by the rule Redis is pruned by, and keeps key revocations', async () => {
    const now = Math.floor(Date.now() / 1000);
    const ttl = auth.config.AUTH_ACCESS_TOKEN_TTL_SECONDS;
    const rows: Array<[RevocationKind, string, number, 'pruned' | 'kept']> = [
      ['jti', 'expired-token', now - 121 - 5, 'pruned'],
      ['jti', 'expired-within-tolerance', now - 60, 'kept'],
      ['jti', 'live-token', now + 600, 'kept'],
      ['sub', 'old-cut-off', now - ttl - 120 - 5, 'pruned'],
      ['sub', 'recent-cut-off', now - ttl + 60, 'kept'],
      ['sid', 'old-session', now - ttl - 500, 'pruned'],
      ['client', 'old-client', now - ttl - 500, 'pruned'],
      ['kid', 'ancient-key', 1_000, 'kept'],
    ];
    for (const [kind, value, score] of rows) await store.record(kind, value, score);
    const removed = await auth.app.get(RevocationPruner).prune();
    expect(removed).toBeGreaterThanOrEqual(4);
    for (const [kind, value, , fate] of rows) expect({ kind, value, fate: (await row(kind, value)) ? 'kept' : 'pruned' }).toEqual({ kind, value, fate });
  });

  it('answers 503 when the database cannot record a revocation, and writes nothing to Redis', async () => {
    const tokens = await loginAs('admin', ADMIN_PASSWORD);
    const { jti } = await auth.verify(tokens.access_token);
    // The token is checked against Redis (the projection is whole), so only the write meets the missing table.
    await waitFor(async () => decodeProjectionGeneration(await auth.redis.get(projectionGenerationKey(auth.testEnv.namespace, 'revocations')))?.source === (await store.sourceId()), 'the projection');
    expect((await fetch(`${auth.url}/userinfo`, { headers: bearer(tokens.access_token) })).status).toBe(200);
    const dataSource = auth.app.get(DataSource);
    await dataSource.query('ALTER TABLE revocations RENAME TO revocations_away');
    try {
      const failed = await auth.post('/oauth/revoke', { token: tokens.access_token });
      expect(failed.status).toBe(503);
      expect(await failed.json()).toMatchObject({ code: 'revocation_store_unavailable' });
      expect(await inRedis('jti', jti!)).toBeNull();
    } finally {
      await dataSource.query('ALTER TABLE revocations_away RENAME TO revocations');
    }
  });
});
