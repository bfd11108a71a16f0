import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeProtectedHeader } from 'jose';
import { authConfigSpec } from '../src/config.js';
import { ADMIN_PASSWORD, basic, bearer, startAuth, type AuthHarness } from './auth-harness.js';

interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
}

describe.each(['sqlite', 'postgres'] as const)('logging in and using tokens, on %s', (database) => {
  let auth: AuthHarness;
  let adminToken: string;

  beforeAll(async () => {
    auth = await startAuth({}, database);
    adminToken = await auth.adminToken();
  });
  afterAll(() => auth?.close());

  it('logs the bootstrap administrator in with an RFC 9068 access token that jose verifies against the JWKS', async () => {
    const response = await auth.login('admin', ADMIN_PASSWORD);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Tokens;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(body.refresh_token).toMatch(/^[\w-]{43}$/);
    const header = decodeProtectedHeader(body.access_token);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(header.kid).toEqual(expect.any(String));
    const claims = await auth.verify(body.access_token, 'billing');
    expect(claims).toMatchObject({ iss: auth.url, client_id: 'sso-login', scope: body.scope });
    // Every audience the issuer knows: its default list, which grows as services are added.
    const audiences = authConfigSpec.shape.AUTH_AUDIENCES.parse(undefined);
    expect(audiences).toEqual(expect.arrayContaining(['api-keys', 'auth', 'billing', 'product', 'settings', 'usage-tracking']));
    expect(claims.aud).toEqual([...audiences].sort());
    expect(body.scope.split(' ')).toContain('auth:admin');
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(claims.nbf).toBe(claims.iat);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.sid).toEqual(expect.any(String));
  });

  it('answers a wrong user, a wrong password and a disabled account with the same 401', async () => {
    const created = await auth.post('/admin/users', { username: 'dora', password: 'dora-password-1', scopes: ['billing:read'] }, { json: true, headers: bearer(adminToken) });
    expect(created.status).toBe(201);
    const dora = (await created.json()) as { id: string };
    expect((await auth.login('dora', 'dora-password-1')).status).toBe(200);
    const patched = await fetch(`${auth.url}/admin/users/${dora.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json', ...bearer(adminToken) }, body: JSON.stringify({ disabled: true }) });
    expect(patched.status).toBe(200);

    const answers = await Promise.all([auth.login('nobody', 'whatever-password'), auth.login('admin', 'wrong-password'), auth.login('dora', 'dora-password-1')]);
    const bodies = await Promise.all(answers.map((answer) => answer.json() as Promise<Record<string, unknown>>));
    for (const [index, answer] of answers.entries()) {
      expect(answer.status).toBe(401);
      expect(bodies[index]).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: 'invalid username or password', code: 'invalid_credentials' });
    }
  });

  it('grants the subset of scopes asked for, with the audiences they name, and refuses others', async () => {
    const narrow = (await (await auth.login('admin', ADMIN_PASSWORD, 'billing:read settings:write')).json()) as Tokens;
    expect(narrow.scope).toBe('billing:read settings:write');
    expect((await auth.verify(narrow.access_token)).aud).toEqual(['billing', 'settings']);
    const refused = await auth.login('admin', ADMIN_PASSWORD, 'billing:read nosuch:read');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ statusCode: 400, code: 'invalid_scope' });
  });

  it('rotates the refresh token on every use; reusing one revokes the whole session', async () => {
    const first = (await (await auth.login('admin', ADMIN_PASSWORD)).json()) as Tokens;
    const refreshed = await auth.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(refreshed.status).toBe(200);
    const second = (await refreshed.json()) as Tokens;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const secondClaims = await auth.verify(second.access_token);
    expect(secondClaims.sid).toBe((await auth.verify(first.access_token)).sid);

    // Past the grace for concurrent duplicates, a second use is a replay.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const replay = await auth.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    // The session is gone: its newest refresh token and its access tokens no longer work.
    expect((await auth.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: second.refresh_token })).status).toBe(400);
    expect((await fetch(`${auth.url}/userinfo`, { headers: bearer(second.access_token) })).status).toBe(401);
    const events = (await (await fetch(`${auth.url}/admin/audit-events?type=refresh_token.reuse_detected`, { headers: bearer(adminToken) })).json()) as { items: Array<{ subject: string }> };
    expect(events.items.map((event) => event.subject)).toContain(secondClaims.sid);
  });

  it('lets exactly one of 20 parallel refreshes of one token succeed, and its tokens keep working', async () => {
    const tokens = (await (await auth.login('admin', ADMIN_PASSWORD)).json()) as Tokens;
    const answers = await Promise.all(Array.from({ length: 20 }, () => auth.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 400)).toHaveLength(19);
    const winner = (await answers.find((answer) => answer.status === 200)!.json()) as Tokens;
    expect((await fetch(`${auth.url}/userinfo`, { headers: bearer(winner.access_token) })).status).toBe(200);
    expect((await auth.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: winner.refresh_token })).status).toBe(200);
  });

  it('issues client-credentials tokens to registered clients, with basic or post authentication', async () => {
    const created = await auth.post('/admin/clients', { name: 'billing', scopes: ['usage-tracking:read', 'usage-tracking:write'] }, { json: true, headers: bearer(adminToken) });
    expect(created.status).toBe(201);
    const { client_id, client_secret } = (await created.json()) as { client_id: string; client_secret: string };
    expect(client_secret).toMatch(/^[\w-]{43}$/);
    const listed = await (await fetch(`${auth.url}/admin/clients`, { headers: bearer(adminToken) })).text();
    expect(listed).toContain(client_id);
    expect(listed).not.toContain(client_secret);

    const viaBasic = await auth.post('/oauth/token', { grant_type: 'client_credentials', scope: 'usage-tracking:read' }, { headers: basic(client_id, client_secret) });
    expect(viaBasic.status).toBe(200);
    const token = (await viaBasic.json()) as Tokens;
    expect(token.refresh_token).toBeUndefined();
    expect(await auth.verify(token.access_token, 'usage-tracking')).toMatchObject({ sub: client_id, client_id, scope: 'usage-tracking:read', aud: ['usage-tracking'] });
    expect((await auth.verify(token.access_token)).sid).toBeUndefined();

    const viaPost = await auth.post('/oauth/token', { grant_type: 'client_credentials', client_id, client_secret });
    expect(((await viaPost.json()) as Tokens).scope).toBe('usage-tracking:read usage-tracking:write');

    const tooMuch = await auth.post('/oauth/token', { grant_type: 'client_credentials', scope: 'billing:admin' }, { headers: basic(client_id, client_secret) });
    expect(tooMuch.status).toBe(400);
    expect(await tooMuch.json()).toMatchObject({ error: 'invalid_scope' });
    const wrongSecret = await auth.post('/oauth/token', { grant_type: 'client_credentials' }, { headers: basic(client_id, 'not-the-secret') });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.headers.get('www-authenticate')).toBe('Basic realm="sso"');
    expect(await wrongSecret.json()).toMatchObject({ error: 'invalid_client' });
    const both = await auth.post('/oauth/token', { grant_type: 'client_credentials', client_id, client_secret }, { headers: basic(client_id, client_secret) });
    expect(await both.json()).toMatchObject({ error: 'invalid_request' });
  });

  it("exchanges a user's token for a narrower one for one audience, naming the client in act", async () => {
    const { client_id, client_secret } = (await (await auth.post('/admin/clients', { name: 'billing-obo', scopes: ['usage-tracking:read'] }, { json: true, headers: bearer(adminToken) })).json()) as { client_id: string; client_secret: string };
    const user = (await (await auth.login('admin', ADMIN_PASSWORD)).json()) as Tokens;
    const exchanged = await auth.post(
      '/oauth/token',
      {
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token: user.access_token,
        subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        audience: 'usage-tracking',
      },
      { headers: basic(client_id, client_secret) },
    );
    expect(exchanged.status).toBe(200);
    const body = (await exchanged.json()) as Tokens & { issued_token_type: string };
    expect(body.issued_token_type).toBe('urn:ietf:params:oauth:token-type:access_token');
    const userClaims = await auth.verify(user.access_token);
    const claims = await auth.verify(body.access_token, 'usage-tracking');
    expect(claims).toMatchObject({ sub: userClaims.sub, aud: ['usage-tracking'], scope: 'usage-tracking:read', client_id, act: { sub: client_id }, sid: userClaims.sid });
    expect(claims.exp).toBeLessThanOrEqual(userClaims.exp!);

    const otherAudience = await auth.post(
      '/oauth/token',
      { grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', subject_token: user.access_token, subject_token_type: 'urn:ietf:params:oauth:token-type:access_token', audience: 'billing' },
      { headers: basic(client_id, client_secret) },
    );
    expect(await otherAudience.json()).toMatchObject({ error: 'invalid_target' });
    const withoutClient = await auth.post('/oauth/token', { grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', subject_token: user.access_token, subject_token_type: 'urn:ietf:params:oauth:token-type:access_token' });
    expect(withoutClient.status).toBe(401);
  });

  it('introspects for authenticated clients only, and answers active:false for anything not live', async () => {
    const { client_id, client_secret } = (await (await auth.post('/admin/clients', { name: 'introspector', scopes: ['auth:read'] }, { json: true, headers: bearer(adminToken) })).json()) as { client_id: string; client_secret: string };
    const user = (await (await auth.login('admin', ADMIN_PASSWORD, 'billing:read')).json()) as Tokens;
    const active = await auth.post('/oauth/introspect', { token: user.access_token }, { headers: basic(client_id, client_secret) });
    expect(await active.json()).toMatchObject({ active: true, scope: 'billing:read', client_id: 'sso-login', token_type: 'Bearer', iss: auth.url });
    const refresh = await auth.post('/oauth/introspect', { token: user.refresh_token }, { headers: basic(client_id, client_secret) });
    expect(await refresh.json()).toMatchObject({ active: true, token_type: 'refresh_token', scope: 'billing:read' });
    for (const token of ['garbage', `${user.access_token}x`]) {
      const inactive = await auth.post('/oauth/introspect', { token }, { headers: basic(client_id, client_secret) });
      expect(await inactive.json()).toEqual({ active: false });
    }
    expect((await auth.post('/oauth/introspect', { token: user.access_token })).status).toBe(401);
  });

  it('answers userinfo for a bearer token', async () => {
    const user = (await (await auth.login('admin', ADMIN_PASSWORD, 'billing:read')).json()) as Tokens;
    const response = await fetch(`${auth.url}/userinfo`, { headers: bearer(user.access_token) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ preferred_username: 'admin', scope: 'billing:read' });
    const anonymous = await fetch(`${auth.url}/userinfo`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="sso"');
  });
});
