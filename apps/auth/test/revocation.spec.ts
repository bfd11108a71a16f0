import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeRevocationEvent, revocationChannel, revocationKey, type RevocationEvent } from '@sso/contracts';
import type { RedisClient } from '@sso/platform';
import { ADMIN_PASSWORD, basic, bearer, startAuth, type AuthHarness } from './auth-harness.js';

interface Tokens {
  access_token: string;
  refresh_token: string;
}

describe('revocation', () => {
  let auth: AuthHarness;
  let adminToken: string;
  let subscriber: RedisClient;
  const events: RevocationEvent[] = [];

  const userinfoStatus = async (token: string) => (await fetch(`${auth.url}/userinfo`, { headers: bearer(token) })).status;
  const loginAs = async (username: string, password: string) => (await (await auth.login(username, password)).json()) as Tokens;
  const nextEvent = async (predicate: (event: RevocationEvent) => boolean) => {
    const deadline = Date.now() + 2_000;
    while (Date.now() < deadline) {
      const found = events.find(predicate);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('no such revocation event was published');
  };

  beforeAll(async () => {
    auth = await startAuth();
    adminToken = await auth.adminToken();
    subscriber = auth.redis.duplicate();
    await subscriber.connect();
    await subscriber.subscribe(revocationChannel(auth.testEnv.namespace), (message) => {
      const event = decodeRevocationEvent(message);
      if (event) events.push(event);
    });
  });
  afterAll(async () => {
    await subscriber?.close();
    await auth?.close();
  });

  it('revokes an access token by jti: a sorted-set entry until its exp, an event on the channel, refused at once', async () => {
    const tokens = await loginAs('admin', ADMIN_PASSWORD);
    const claims = await auth.verify(tokens.access_token);
    expect(await userinfoStatus(tokens.access_token)).toBe(200);
    const revoked = await auth.post('/oauth/revoke', { token: tokens.access_token });
    expect(revoked.status).toBe(200);
    expect(await auth.redis.zScore(revocationKey(auth.testEnv.namespace, 'jti'), claims.jti!)).toBe(claims.exp);
    expect(await nextEvent((event) => event.kind === 'jti' && event.value === claims.jti)).toEqual({ v: 1, kind: 'jti', value: claims.jti, score: claims.exp });
    expect(await userinfoStatus(tokens.access_token)).toBe(401);
    // The session itself lives on.
    expect((await auth.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).status).toBe(200);
  });

  it('revokes the whole session through its refresh token, and answers 200 for an unknown token', async () => {
    const tokens = await loginAs('admin', ADMIN_PASSWORD);
    const { sid, iat } = await auth.verify(tokens.access_token);
    expect((await auth.post('/oauth/revoke', { token: tokens.refresh_token, token_type_hint: 'refresh_token' })).status).toBe(200);
    const event = await nextEvent((candidate) => candidate.kind === 'sid' && candidate.value === sid);
    expect(event.score).toBeGreaterThanOrEqual(iat!);
    expect(await userinfoStatus(tokens.access_token)).toBe(401);
    expect((await auth.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).status).toBe(400);
    expect((await auth.post('/oauth/revoke', { token: 'not-a-token-at-all' })).status).toBe(200);
    expect((await auth.post('/oauth/revoke', {})).status).toBe(400);
  });

  it('logs out: the session’s access and refresh tokens stop working', async () => {
    const tokens = await loginAs('admin', ADMIN_PASSWORD);
    const logout = await fetch(`${auth.url}/auth/logout`, { method: 'POST', headers: bearer(tokens.access_token) });
    expect(logout.status).toBe(204);
    expect(await userinfoStatus(tokens.access_token)).toBe(401);
    expect((await auth.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).status).toBe(400);
  });

  it('revokes every session of a user, then lets the user log in again at once', async () => {
    const created = (await (await auth.post('/admin/users', { username: 'erin', password: 'erin-password-1', scopes: ['settings:read'] }, { json: true, headers: bearer(adminToken) })).json()) as { id: string };
    const [first, second] = [await loginAs('erin', 'erin-password-1'), await loginAs('erin', 'erin-password-1')];
    const revoke = await fetch(`${auth.url}/admin/users/${created.id}/revoke`, { method: 'POST', headers: bearer(adminToken) });
    expect(revoke.status).toBe(204);
    await nextEvent((event) => event.kind === 'sub' && event.value === created.id);
    expect(await userinfoStatus(first.access_token)).toBe(401);
    expect(await userinfoStatus(second.access_token)).toBe(401);
    expect((await auth.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: second.refresh_token })).status).toBe(400);
    const again = await loginAs('erin', 'erin-password-1');
    expect(await userinfoStatus(again.access_token)).toBe(200);
  });

  it('deleting a user or a client ends every token it holds', async () => {
    const user = (await (await auth.post('/admin/users', { username: 'frank', password: 'frank-password-1', scopes: [] }, { json: true, headers: bearer(adminToken) })).json()) as { id: string };
    const userTokens = await loginAs('frank', 'frank-password-1');
    expect((await fetch(`${auth.url}/admin/users/${user.id}`, { method: 'DELETE', headers: bearer(adminToken) })).status).toBe(204);
    expect(await userinfoStatus(userTokens.access_token)).toBe(401);
    expect((await auth.login('frank', 'frank-password-1')).status).toBe(401);

    const { client_id, client_secret } = (await (await auth.post('/admin/clients', { name: 'doomed', scopes: ['billing:read'] }, { json: true, headers: bearer(adminToken) })).json()) as { client_id: string; client_secret: string };
    const clientToken = ((await (await auth.post('/oauth/token', { grant_type: 'client_credentials' }, { headers: basic(client_id, client_secret) })).json()) as Tokens).access_token;
    expect(await userinfoStatus(clientToken)).toBe(200);
    expect((await fetch(`${auth.url}/admin/clients/${client_id}`, { method: 'DELETE', headers: bearer(adminToken) })).status).toBe(204);
    await nextEvent((event) => event.kind === 'client' && event.value === client_id);
    expect(await userinfoStatus(clientToken)).toBe(401);
    expect((await auth.post('/oauth/token', { grant_type: 'client_credentials' }, { headers: basic(client_id, client_secret) })).status).toBe(401);
  });

  it('ends every session of a user whose password changes or who loses a scope', async () => {
    const created = (await (await auth.post('/admin/users', { username: 'ivan', password: 'ivan-password-1', scopes: ['auth:admin', 'billing:read'] }, { json: true, headers: bearer(adminToken) })).json()) as { id: string };
    const patch = (body: unknown, token = adminToken) =>
      fetch(`${auth.url}/admin/users/${created.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify(body) });
    const before = await loginAs('ivan', 'ivan-password-1');
    expect((await patch({ password: 'ivan-password-2' })).status).toBe(200);
    expect(await userinfoStatus(before.access_token)).toBe(401);
    expect((await auth.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: before.refresh_token })).status).toBe(400);

    const demoted = await loginAs('ivan', 'ivan-password-2');
    expect((await patch({ scopes: ['billing:read'] })).status).toBe(200);
    // The demoted administrator's token no longer reaches the admin API, so it cannot re-promote itself.
    expect((await patch({ scopes: ['auth:admin', 'billing:read'] }, demoted.access_token)).status).toBe(401);
    const kept = await loginAs('ivan', 'ivan-password-2');
    expect((await patch({ scopes: ['billing:read', 'settings:read'] })).status).toBe(200);
    expect(await userinfoStatus(kept.access_token)).toBe(200);
  });

  it('keeps the revocation state in the documented sorted sets', async () => {
    const ns = auth.testEnv.namespace;
    const keys = (await auth.redis.keys(`${ns}revoked:*`)).sort();
    expect(keys).toEqual([`${ns}revoked:client`, `${ns}revoked:jti`, `${ns}revoked:sid`, `${ns}revoked:sub`]);
    for (const key of keys) expect(await auth.redis.type(key)).toBe('zset');
  });
});
