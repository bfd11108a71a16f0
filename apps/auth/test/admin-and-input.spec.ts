import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectPagedCollection } from '@sso/testing';
import { DataSource } from 'typeorm';
import { ADMIN_PASSWORD, basic, bearer, startAuth, type AuthHarness } from './auth-harness.js';

describe('the admin API, discovery and bad input', () => {
  let auth: AuthHarness;
  let adminToken: string;
  let readerToken: string;
  const counts = async () => {
    const dataSource = auth.app.get(DataSource);
    const [users, clients, sessions] = await Promise.all(['users', 'clients', 'sessions'].map((table) => dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`)));
    return { users: Number(users[0].n), clients: Number(clients[0].n), sessions: Number(sessions[0].n) };
  };
  const json = (method: string, path: string, body: unknown, token = adminToken) =>
    fetch(`${auth.url}${path}`, { method, headers: { 'content-type': 'application/json', ...bearer(token) }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  beforeAll(async () => {
    auth = await startAuth();
    adminToken = await auth.adminToken();
    await json('POST', '/admin/users', { username: 'reader', password: 'reader-password-1', scopes: ['auth:read', 'billing:read'] });
    readerToken = ((await (await auth.login('reader', 'reader-password-1')).json()) as { access_token: string }).access_token;
  });
  afterAll(() => auth?.close());

  it('serves discovery with every field the contract lists, consistent with the running issuer', async () => {
    const discovery = (await (await fetch(`${auth.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: auth.url,
      jwks_uri: `${auth.url}/.well-known/jwks.json`,
      authorization_endpoint: `${auth.url}/authorize`,
      token_endpoint: `${auth.url}/oauth/token`,
      revocation_endpoint: `${auth.url}/oauth/revoke`,
      introspection_endpoint: `${auth.url}/oauth/introspect`,
      userinfo_endpoint: `${auth.url}/userinfo`,
      end_session_endpoint: `${auth.url}/end-session`,
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    expect(discovery.scopes_supported).toEqual(expect.arrayContaining(['openid', 'auth:admin', 'billing:read', 'product:write']));
    expect((await fetch(discovery.jwks_uri as string)).status).toBe(200);
  });

  it('asks for a token (401 with a Bearer challenge) and for auth:admin (403 insufficient_scope)', async () => {
    const anonymous = await fetch(`${auth.url}/admin/users`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="sso"');
    const forged = await fetch(`${auth.url}/admin/users`, { headers: bearer(`${adminToken.slice(0, -4)}AAAA`) });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="the token signature is invalid"');
    const reader = await fetch(`${auth.url}/admin/users`, { headers: bearer(readerToken) });
    expect(reader.status).toBe(403);
    expect(reader.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="auth:admin"');
    expect(await reader.json()).toMatchObject({ statusCode: 403, code: 'insufficient_scope' });
  });

  it.each(['/admin/users', '/admin/clients', '/admin/signing-keys', '/admin/audit-events', '/admin/audit-events?type=user.created'])('pages %s like every collection of the ecosystem', async (path) => {
    await expectPagedCollection(auth.url, path, bearer(adminToken));
  });

  it('pages the audit trail from a fixed point with before, newest first', async () => {
    const newest = (await (await fetch(`${auth.url}/admin/audit-events?limit=1`, { headers: bearer(adminToken) })).json()) as { items: Array<{ createdAt: string }> };
    const older = (await (await fetch(`${auth.url}/admin/audit-events?before=${encodeURIComponent(newest.items[0].createdAt)}&limit=200`, { headers: bearer(adminToken) })).json()) as { items: Array<{ createdAt: string }>; total: number };
    expect(older.items.length).toBe(Math.min(200, older.total));
    expect(older.items.every((event) => event.createdAt < newest.items[0].createdAt)).toBe(true);
  });

  it('manages users: create, list, read, change, with validated input', async () => {
    const created = await json('POST', '/admin/users', { username: 'gina', password: 'gina-password-1', scopes: ['settings:read'] });
    expect(created.status).toBe(201);
    const gina = (await created.json()) as { id: string; username: string; scopes: string[] };
    expect(gina).toEqual({ id: expect.any(String), username: 'gina', scopes: ['settings:read'] });
    const listed = (await (await fetch(`${auth.url}/admin/users?limit=2`, { headers: bearer(adminToken) })).json()) as { items: unknown[]; total: number };
    expect(listed.items).toHaveLength(2);
    expect(listed.total).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(listed)).not.toMatch(/password/i);
    const changed = await json('PATCH', `/admin/users/${gina.id}`, { scopes: ['settings:read', 'settings:write'], password: 'gina-password-2' });
    expect(await changed.json()).toMatchObject({ id: gina.id, scopes: ['settings:read', 'settings:write'], disabled: false });
    expect((await auth.login('gina', 'gina-password-2')).status).toBe(200);
    expect((await json('POST', '/admin/users', { username: 'gina', password: 'another-password', scopes: [] })).status).toBe(409);
    const racing = await Promise.all(Array.from({ length: 5 }, () => json('POST', '/admin/users', { username: 'hugo', password: 'hugo-password-1', scopes: [] })));
    expect(racing.map((response) => response.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect((await fetch(`${auth.url}/admin/users/00000000-0000-4000-8000-000000000000`, { headers: bearer(adminToken) })).status).toBe(404);
  });

  it.each([
    ['POST', '/admin/users', { username: 'x', password: 'short', scopes: [] }, /password must be longer than or equal to 12 characters/],
    ['POST', '/admin/users', { username: 'has space', password: 'long-enough-password', scopes: [] }, /username must be/],
    ['POST', '/admin/users', { username: 'ok', password: 'long-enough-password', scopes: ['billing:root'] }, /each scope must be/],
    ['POST', '/admin/users', { username: 'ok', password: 'long-enough-password', scopes: ['nosuch:read'] }, /unknown audience/],
    ['POST', '/admin/users', { username: 'ok', password: 'long-enough-password', scopes: 'billing:read' }, /scopes must be an array/],
    ['POST', '/admin/users', { username: 'ok', password: 'long-enough-password', scopes: [], admin: true }, /property admin should not exist/],
    ['POST', '/admin/users', '{"username": ', /JSON/],
    ['POST', '/admin/clients', { name: '', scopes: ['billing:read'] }, /name must be longer/],
    ['POST', '/admin/clients', { name: 'svc', scopes: [] }, /scopes must contain at least 1 elements/],
    ['POST', '/admin/clients', { name: 'app', scopes: ['billing:read'], grant_types: ['authorization_code'], redirect_uris: ['http://app.example.com/cb'] }, /must use https/],
    ['POST', '/admin/clients', { name: 'app', scopes: ['billing:read'], grant_types: ['implicit'] }, /grant_types must be one of/],
    ['POST', '/admin/clients', { name: 'app', scopes: ['billing:read'], token_endpoint_auth_method: 'none' }, /authorization_code needs at least one redirect_uri/],
    ['POST', '/admin/clients', { name: 'app', scopes: ['billing:read'], token_endpoint_auth_method: 'private_key_jwt' }, /token_endpoint_auth_method must be one of/],
    ['PATCH', '/admin/users/not-a-uuid', { disabled: true }, /uuid/],
    ['PATCH', '/admin/users/00000000-0000-4000-8000-000000000000', { disabled: 'yes' }, /disabled must be a boolean/],
    ['GET', '/admin/users?limit=100000', undefined, /limit must not be greater than 200/],
    ['GET', '/admin/audit-events?before=yesterday', undefined, /before must be a Date/],
  ])('%s %s with bad input is a 400 with the reasons, and changes nothing', async (method, path, body, reason) => {
    const before = await counts();
    const response = await fetch(`${auth.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...bearer(adminToken) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { statusCode: number; message: unknown; requestId: string };
    expect(answer.statusCode).toBe(400);
    expect(answer.requestId).toEqual(expect.any(String));
    expect(JSON.stringify(answer.message)).toMatch(reason);
    expect(await counts()).toEqual(before);
  });

  it.each([
    [{}, 400, 'invalid_request'],
    [{ grant_type: 'password', username: 'admin', password: ADMIN_PASSWORD }, 400, 'unsupported_grant_type'],
    [{ grant_type: 'authorization_code', code: 'x' }, 400, 'invalid_request'],
    [{ grant_type: 'authorization_code', code: 'x', client_id: 'nobody', code_verifier: 'v'.repeat(43) }, 401, 'invalid_client'],
    [{ grant_type: 'refresh_token' }, 400, 'invalid_request'],
    [{ grant_type: 'refresh_token', refresh_token: 'nonsense' }, 400, 'invalid_grant'],
    [{ grant_type: 'client_credentials' }, 401, 'invalid_client'],
    [{ grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'nothing' }, 401, 'invalid_client'],
    [{ grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', subject_token: 'x', subject_token_type: 'urn:unknown' }, 401, 'invalid_client'],
  ])('the token endpoint answers %j with %i %s', async (params, status, error) => {
    const before = await counts();
    const response = await auth.post('/oauth/token', params);
    expect(response.status).toBe(status);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ error, error_description: expect.any(String), statusCode: status });
    expect(await counts()).toEqual(before);
  });

  it('registers apps with RFC 7591 metadata: a public client gets no secret, and each client only its grants', async () => {
    const publicApp = await json('POST', '/admin/clients', {
      name: 'storefront',
      scopes: ['billing:read'],
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1:4000/callback'],
      post_logout_redirect_uris: ['http://127.0.0.1:4000/'],
    });
    expect(publicApp.status).toBe(201);
    const registered = (await publicApp.json()) as Record<string, unknown>;
    expect(registered).toEqual({
      client_id: expect.stringMatching(/^client_/),
      name: 'storefront',
      scopes: ['billing:read'],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      redirect_uris: ['http://127.0.0.1:4000/callback'],
      post_logout_redirect_uris: ['http://127.0.0.1:4000/'],
      createdAt: expect.any(String),
    });
    // No secret opens a public client at the token endpoint, not even an empty one.
    for (const secret of ['', 'guess']) {
      const refused = await auth.post('/oauth/token', { grant_type: 'client_credentials', client_id: registered.client_id, client_secret: secret });
      expect({ status: refused.status, body: await refused.json() }).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    }

    const webApp = (await (await json('POST', '/admin/clients', { name: 'console', scopes: ['billing:read'], grant_types: ['authorization_code'], redirect_uris: ['https://console.example.com/cb'] })).json()) as { client_id: string; client_secret: string };
    expect(webApp.client_secret).toMatch(/^[\w-]{43}$/);
    const notForIt = await auth.post('/oauth/token', { grant_type: 'client_credentials' }, { headers: basic(webApp.client_id, webApp.client_secret) });
    expect(notForIt.status).toBe(400);
    expect(await notForIt.json()).toMatchObject({ error: 'unauthorized_client', error_description: 'the client is not registered for client_credentials' });

    const service = (await (await json('POST', '/admin/clients', { name: 'service', scopes: ['billing:read'] })).json()) as { client_id: string; client_secret: string; grant_types: string[] };
    expect(service.grant_types).toEqual(['client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange']);
    expect((await auth.post('/oauth/token', { grant_type: 'client_credentials' }, { headers: basic(service.client_id, service.client_secret) })).status).toBe(200);

    const listed = (await (await fetch(`${auth.url}/admin/clients?limit=200`, { headers: bearer(adminToken) })).json()) as { items: Array<Record<string, unknown>> };
    expect(listed.items.find((client) => client.client_id === registered.client_id)).toEqual({ ...registered });
    expect(JSON.stringify(listed)).not.toContain(webApp.client_secret);
  });

  it('answers wrong types, unknown token types and huge bodies at the token endpoint without a 500', async () => {
    const { client_id, client_secret } = (await (await json('POST', '/admin/clients', { name: 'bad-input', scopes: ['billing:read'] })).json()) as { client_id: string; client_secret: string };
    const wrongType = await auth.post('/oauth/token', { grant_type: ['client_credentials'] }, { json: true });
    expect(await wrongType.json()).toMatchObject({ error: 'invalid_request' });
    const unknownType = await auth.post('/oauth/token', { grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', subject_token: 'x', subject_token_type: 'urn:unknown' }, { headers: basic(client_id, client_secret) });
    expect(await unknownType.json()).toMatchObject({ error: 'invalid_request', error_description: 'subject_token_type urn:unknown is not supported' });
    const huge = await auth.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: 'x'.repeat(200_000) });
    expect(huge.status).toBe(413);
    const hugeLogin = await auth.post('/auth/login', { username: 'admin', password: 'x'.repeat(200_000) }, { json: true });
    expect(hugeLogin.status).toBe(413);
    const longPassword = await auth.post('/auth/login', { username: 'admin', password: 'x'.repeat(5_000) }, { json: true });
    expect(longPassword.status).toBe(400);
    const badLogin = await auth.post('/auth/login', { username: 42, password: null }, { json: true });
    expect(badLogin.status).toBe(400);
  });

  it('records audit events newest first, filterable, with no password, token or secret in them', async () => {
    const { client_secret } = (await (await json('POST', '/admin/clients', { name: 'audited', scopes: ['billing:read'] })).json()) as { client_secret: string };
    const tokens = (await (await auth.login('admin', ADMIN_PASSWORD)).json()) as { access_token: string; refresh_token: string };
    await auth.login('admin', 'a-wrong-password-here');
    const all = (await (await fetch(`${auth.url}/admin/audit-events?limit=200`, { headers: bearer(adminToken) })).json()) as { items: Array<{ type: string; createdAt: string }> };
    const types = new Set(all.items.map((event) => event.type));
    for (const type of ['user.created', 'client.created', 'login.succeeded', 'login.failed', 'token.issued']) expect(types).toContain(type);
    const times = all.items.map((event) => Date.parse(event.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const text = JSON.stringify(all);
    for (const secret of [ADMIN_PASSWORD, 'a-wrong-password-here', 'reader-password-1', client_secret, tokens.access_token, tokens.refresh_token]) expect(text).not.toContain(secret);
    const failures = (await (await fetch(`${auth.url}/admin/audit-events?type=login.failed`, { headers: bearer(adminToken) })).json()) as { items: Array<{ type: string }> };
    expect(failures.items.length).toBeGreaterThan(0);
    expect(new Set(failures.items.map((event) => event.type))).toEqual(new Set(['login.failed']));
    const logs = JSON.stringify(auth.logs.lines);
    for (const secret of [ADMIN_PASSWORD, client_secret, tokens.access_token, tokens.refresh_token]) expect(logs).not.toContain(secret);
  });
});
