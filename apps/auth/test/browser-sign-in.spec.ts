import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ADMIN_PASSWORD, bearer, startAuth, type AuthHarness } from './auth-harness.js';
import { Browser } from './browser.js';

const errorOf = (html: string) => /<p id="sign-in-error" role="alert">([^<]*)<\/p>/.exec(html)?.[1];

describe('signing in at the issuer with a browser', () => {
  let auth: AuthHarness;
  let adminToken: string;

  beforeAll(async () => {
    auth = await startAuth();
    adminToken = await auth.adminToken();
    for (const [username, disabled] of [['dana', false], ['eve', true], ['fred', false]] as const) {
      const created = await fetch(`${auth.url}/admin/users`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(adminToken) }, body: JSON.stringify({ username, password: `${username}-password-1`, scopes: ['billing:read'] }) });
      const { id } = (await created.json()) as { id: string };
      if (disabled) await fetch(`${auth.url}/admin/users/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json', ...bearer(adminToken) }, body: JSON.stringify({ disabled: true }) });
    }
  });
  afterAll(() => auth?.close());

  it('serves a sign-in form that works without JavaScript, with labels, a CSRF token, and no caching or framing', async () => {
    const browser = new Browser(auth.url);
    const response = await browser.get('/login');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await response.text();
    expect(html).toContain('<form method="post" action="/login">');
    expect(html).toContain('<label for="username">Username</label>');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toMatch(/<input id="password" name="password" type="password" autocomplete="current-password"/);
    expect(html).not.toContain('<script');
    expect(Browser.csrfOf(html)).toMatch(/^[\w-]{43}$/);
    expect(browser.cookies.get('sso_sign_in')).toMatchObject({ httpOnly: true, sameSite: 'lax', path: '/' });
  });

  it('signs in, sets a session cookie no script can read, and shows the account page', async () => {
    const browser = new Browser(auth.url);
    const signedIn = await browser.signIn('admin', ADMIN_PASSWORD);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/account');
    const cookie = browser.cookies.get('sso_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'lax', path: '/' });
    expect(cookie.secure).toBeFalsy(); // development; production sets Secure
    expect(cookie.maxAge).toBeGreaterThan(29 * 86_400);
    expect(cookie.value).toMatch(/^[\w-]{24}\.[\w-]{43}$/);
    expect(browser.cookies.has('sso_sign_in')).toBe(false);

    const account = await browser.get('/account');
    expect(account.status).toBe(200);
    const html = await account.text();
    expect(html).toContain('Signed in as <strong>admin</strong>');
    expect(html).toContain(`${browser.userAgent} <strong>(this browser)</strong>`);
    // Signed in already: the form sends the browser on.
    expect((await browser.get('/login?return_to=%2Faccount%3Ftab%3Dsessions')).headers.get('location')).toBe('/account?tab=sessions');
  });

  it('answers an unknown user, a wrong password and a disabled account with the same message, and opens nothing', async () => {
    const sessionsBefore = await openSessions();
    for (const [username, password] of [['nobody', 'whatever-password'], ['dana', 'wrong-password-1'], ['eve', 'eve-password-1']]) {
      const browser = new Browser(auth.url);
      const refused = await browser.signIn(username, password);
      expect(refused.status).toBe(401);
      expect(errorOf(await refused.text())).toBe('Invalid username or password.');
      expect(browser.cookies.has('sso_session')).toBe(false);
    }
    expect(await openSessions()).toBe(sessionsBefore);
  });

  it('refuses a sign-in form that did not come from the issuer', async () => {
    const browser = new Browser(auth.url);
    await browser.get('/login');
    const forged = await browser.post('/login', { username: 'dana', password: 'dana-password-1', csrf: 'x'.repeat(43), return_to: '/account' });
    expect(forged.status).toBe(403);
    const withoutCookie = await new Browser(auth.url).post('/login', { username: 'dana', password: 'dana-password-1', csrf: Browser.csrfOf(await (await browser.get('/login')).text()) });
    expect(withoutCookie.status).toBe(403);
    expect(browser.cookies.has('sso_session')).toBe(false);
  });

  it('only ever sends the browser on to a path of the issuer', async () => {
    for (const [returnTo, location] of [['//evil.example/x', '/account'], ['/\\evil.example', '/account'], ['https://evil.example/', '/account'], ['/account?from=app', '/account?from=app']]) {
      const response = await new Browser(auth.url).signIn('dana', 'dana-password-1', returnTo);
      expect({ returnTo, location: response.headers.get('location') }).toEqual({ returnTo, location });
    }
  });

  it('throttles sign-in as the API login does', async () => {
    const browser = new Browser(auth.url);
    const answers: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) answers.push((await browser.signIn('fred', 'not-freds-password')).status);
    expect(answers).toEqual([401, 401, 401, 401, 401, 429]);
    const throttled = await browser.signIn('fred', 'fred-password-1');
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('lists every open session, and signing one out ends its tokens everywhere', async () => {
    const browser = new Browser(auth.url);
    await browser.signIn('dana', 'dana-password-1');
    const apiLogin = (await (await auth.login('dana', 'dana-password-1')).json()) as { access_token: string };
    expect((await userinfo(apiLogin.access_token)).status).toBe(200);
    const html = await (await browser.get('/account')).text();
    const apiSid = (await auth.verify(apiLogin.access_token)).sid as string;
    expect(html).toContain('API login');
    const action = `/account/sessions/${apiSid}/sign-out`;
    const signedOut = await browser.post(action, { csrf: Browser.csrfOf(html, action) });
    expect(signedOut.headers.get('location')).toBe('/account');
    expect((await userinfo(apiLogin.access_token)).status).toBe(401);
    expect(await (await browser.get('/account')).text()).not.toContain(apiSid);
  });

  it('signs out everywhere: the browser, the other browsers and the API logins of the user', async () => {
    const [first, second] = [new Browser(auth.url), new Browser(auth.url, 'OtherBrowser/2.0')];
    await first.signIn('dana', 'dana-password-1');
    await second.signIn('dana', 'dana-password-1');
    const apiLogin = (await (await auth.login('dana', 'dana-password-1')).json()) as { access_token: string };
    const html = await (await first.get('/account')).text();
    expect(html).toContain('OtherBrowser/2.0');

    const forged = await first.post('/account/sign-out-everywhere', { csrf: Browser.csrfOf(html).replace(/.$/, (last) => (last === 'A' ? 'B' : 'A')) });
    expect(forged.status).toBe(403);
    expect((await userinfo(apiLogin.access_token)).status).toBe(200);

    const everywhere = await first.post('/account/sign-out-everywhere', { csrf: Browser.csrfOf(html, '/account/sign-out-everywhere') });
    expect(everywhere.headers.get('location')).toBe('/login');
    expect(first.cookies.has('sso_session')).toBe(false);
    expect((await second.get('/account')).headers.get('location')).toBe('/login?return_to=%2Faccount');
    expect((await userinfo(apiLogin.access_token)).status).toBe(401);
  });

  it('ends the browser session when the user is disabled, and on sign-out', async () => {
    const browser = new Browser(auth.url);
    await browser.signIn('dana', 'dana-password-1');
    const html = await (await browser.get('/account')).text();
    const signedOut = await browser.post('/logout', { csrf: Browser.csrfOf(html, '/logout') });
    expect(signedOut.headers.get('location')).toBe('/login');
    expect((await browser.get('/account')).status).toBe(303);

    const other = new Browser(auth.url);
    const created = (await (await fetch(`${auth.url}/admin/users`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(adminToken) }, body: JSON.stringify({ username: 'gus', password: 'gus-password-1', scopes: [] }) })).json()) as { id: string };
    await other.signIn('gus', 'gus-password-1');
    expect((await other.get('/account')).status).toBe(200);
    await fetch(`${auth.url}/admin/users/${created.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json', ...bearer(adminToken) }, body: JSON.stringify({ disabled: true }) });
    expect((await other.get('/account')).headers.get('location')).toBe('/login?return_to=%2Faccount');
  });

  function userinfo(token: string): Promise<Response> {
    return fetch(`${auth.url}/userinfo`, { headers: bearer(token) });
  }

  async function openSessions(): Promise<number> {
    const [row] = (await auth.app.get(DataSource).query('SELECT COUNT(*) AS count FROM sessions WHERE "revokedAt" IS NULL')) as Array<{ count: number | string }>;
    return Number(row.count);
  }
});
