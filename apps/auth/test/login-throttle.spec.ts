import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, startAuth, type AuthHarness } from './auth-harness.js';

async function auditCount(auth: AuthHarness, adminToken: string, type: string, username: string): Promise<number> {
  const { items } = (await (await fetch(`${auth.url}/admin/audit-events?type=${type}&limit=200`, { headers: bearer(adminToken) })).json()) as { items: Array<{ details: { username?: string } }> };
  return items.filter((event) => event.details.username === username).length;
}

describe('brute-force protection', () => {
  let auth: AuthHarness;
  let adminToken: string;

  beforeAll(async () => {
    auth = await startAuth({ AUTH_LOGIN_MAX_FAILURES_PER_USER: '5', AUTH_LOGIN_MAX_ATTEMPTS_PER_IP: '200', TRUSTED_PROXIES: '127.0.0.2' });
    adminToken = await auth.adminToken();
    for (const username of ['victim', 'carol']) {
      await auth.post('/admin/users', { username, password: `${username}-password-1`, scopes: [] }, { json: true, headers: bearer(adminToken) });
    }
  });
  afterAll(() => auth?.close());

  it('evaluates no more than the limit of 50 parallel wrong passwords; the rest get 429 with Retry-After', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => auth.login('victim', 'wrong-password')));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(45);
    const limited = answers.find((answer) => answer.status === 429)!;
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(await limited.json()).toMatchObject({ statusCode: 429, code: 'too_many_attempts' });
    // Exactly five passwords were checked.
    expect(await auditCount(auth, adminToken, 'login.failed', 'victim')).toBe(5);
    // Even the right password is refused until the window ends.
    expect((await auth.login('victim', 'victim-password-1')).status).toBe(429);
  });

  it('clears the failures of a username after a successful login', async () => {
    for (let attempt = 0; attempt < 4; attempt++) expect((await auth.login('carol', 'wrong-password')).status).toBe(401);
    expect((await auth.login('carol', 'carol-password-1')).status).toBe(200);
    for (let attempt = 0; attempt < 4; attempt++) expect((await auth.login('carol', 'wrong-password')).status).toBe(401);
    expect((await auth.login('carol', 'carol-password-1')).status).toBe(200);
  });

  it('counts per client IP, ignoring X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const ipKey = `${auth.testEnv.namespace}login:ip:203.0.113.9`;
    // The peer 127.0.0.1 is not trusted: the header is ignored and the attempt counts for 127.0.0.1.
    await fetch(`${auth.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' }, body: JSON.stringify({ username: 'nobody-1', password: 'x' }) });
    expect(await auth.redis.get(ipKey)).toBeNull();
    expect(Number(await auth.redis.get(`${auth.testEnv.namespace}login:ip:127.0.0.1`))).toBeGreaterThan(0);
  });
});

describe('brute-force protection behind a trusted proxy', () => {
  let auth: AuthHarness;
  beforeAll(async () => {
    auth = await startAuth({ AUTH_LOGIN_MAX_ATTEMPTS_PER_IP: '3', TRUSTED_PROXIES: 'loopback' });
  });
  afterAll(() => auth?.close());

  it('limits each forwarded client IP on its own', async () => {
    const attempt = (ip: string) =>
      fetch(`${auth.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify({ username: `user-${ip}-${Math.random()}`, password: 'x' }) });
    const first = [];
    for (let index = 0; index < 4; index++) first.push((await attempt('198.51.100.1')).status);
    expect(first).toEqual([401, 401, 401, 429]);
    expect((await attempt('198.51.100.2')).status).toBe(401);
    expect(Number(await auth.redis.get(`${auth.testEnv.namespace}login:ip:198.51.100.1`))).toBe(4);
  });
});
