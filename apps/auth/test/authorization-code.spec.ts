import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { bearer, startAuth, type AuthHarness } from './auth-harness.js';
import { Browser } from './browser.js';

const STOREFRONT_CALLBACK = 'http://127.0.0.1:4000/callback';
const CONSOLE_CALLBACK = 'https://console.example.test/cb';
const STOREFRONT_HOME = 'http://127.0.0.1:4000/';

interface Registered {
  client_id: string;
  client_secret?: string;
}

/** One authorization request as an app builds it with openid-client: PKCE, state and nonce. */
async function authorizationRequest(config: oidc.Configuration, redirectUri: string, extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope: 'openid billing:read settings:read', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, nonce, ...extra });
  return { url, verifier, state, nonce };
}

describe('the authorization code flow with PKCE, as openid-client speaks it', () => {
  let auth: AuthHarness;
  let adminToken: string;
  let storefront: oidc.Configuration;
  let storefrontId: string;
  let consoleApp: oidc.Configuration;
  let consoleId: string;
  let consoleSecret: string;
  let danaId: string;

  const pathOf = (url: URL | string) => {
    const parsed = new URL(url, auth.url);
    return `${parsed.pathname}${parsed.search}`;
  };
  /** Follows the issuer's redirects in the browser until one leaves the issuer (the app's callback) or a page is shown. */
  const follow = async (browser: Browser, url: URL | string) => {
    let response = await browser.get(pathOf(url));
    for (let hops = 0; response.status === 303 && hops < 5; hops++) {
      const location = new URL(response.headers.get('location')!, auth.url);
      if (location.origin !== new URL(auth.url).origin) return { callback: location, response };
      response = await browser.get(pathOf(location));
    }
    return { callback: undefined, response };
  };
  /** The app sends the browser to the issuer; the user signs in on the form if asked; the browser lands on the callback. */
  const signInThrough = async (browser: Browser, url: URL) => {
    const first = await follow(browser, url);
    if (first.callback) return first.callback;
    const form = await first.response.text();
    expect(form).toContain('<form method="post" action="/login">');
    const posted = await browser.post('/login', { username: 'dana', password: 'dana-password-1', csrf: Browser.csrfOf(form), return_to: /name="return_to" value="([^"]*)"/.exec(form)![1].replaceAll('&amp;', '&') });
    expect(posted.status).toBe(303);
    const landed = await follow(browser, posted.headers.get('location')!);
    return landed.callback!;
  };
  const userinfo = (token: string) => fetch(`${auth.url}/userinfo`, { headers: bearer(token) });
  const register = async (body: Record<string, unknown>) =>
    (await (await fetch(`${auth.url}/admin/clients`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(adminToken) }, body: JSON.stringify(body) })).json()) as Registered;

  beforeAll(async () => {
    auth = await startAuth();
    adminToken = await auth.adminToken();
    const created = await fetch(`${auth.url}/admin/users`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(adminToken) }, body: JSON.stringify({ username: 'dana', password: 'dana-password-1', scopes: ['billing:read', 'usage-tracking:read'] }) });
    danaId = ((await created.json()) as { id: string }).id;
    const publicClient = await register({ name: 'storefront', scopes: ['billing:read', 'settings:read'], token_endpoint_auth_method: 'none', redirect_uris: [STOREFRONT_CALLBACK], post_logout_redirect_uris: [STOREFRONT_HOME] });
    storefrontId = publicClient.client_id;
    const confidential = await register({ name: 'console', scopes: ['billing:read'], grant_types: ['authorization_code'], redirect_uris: [CONSOLE_CALLBACK] });
    consoleId = confidential.client_id;
    consoleSecret = confidential.client_secret!;
    const insecure = { execute: [oidc.allowInsecureRequests] };
    storefront = await oidc.discovery(new URL(auth.url), storefrontId, undefined, oidc.None(), insecure);
    consoleApp = await oidc.discovery(new URL(auth.url), consoleId, confidential.client_secret, undefined, insecure);
  });
  afterAll(() => auth?.close());

  it('signs the user in at the first app, and the second app gets them with no password prompt: single sign-on', async () => {
    const browser = new Browser(auth.url);
    const first = await authorizationRequest(storefront, STOREFRONT_CALLBACK);
    const callback = await signInThrough(browser, first.url);
    expect(callback.searchParams.get('state')).toBe(first.state);
    expect(callback.searchParams.get('iss')).toBe(auth.url);
    const tokens = await oidc.authorizationCodeGrant(storefront, callback, { pkceCodeVerifier: first.verifier, expectedState: first.state, expectedNonce: first.nonce, idTokenExpected: true });
    const idClaims = tokens.claims()!;
    expect(idClaims).toMatchObject({ iss: auth.url, sub: danaId, aud: storefrontId, nonce: first.nonce, sid: expect.any(String), auth_time: expect.any(Number) });
    // The ID token is signed with the issuer's published keys, as an outside verifier checks it.
    const jwks = createRemoteJWKSet(new URL(`${auth.url}/.well-known/jwks.json`));
    await expect(jwtVerify(tokens.id_token!, jwks, { issuer: auth.url, audience: storefrontId, typ: 'JWT' })).resolves.toBeDefined();
    // The access token: the scopes the user and the client both hold, for this client, in the browser's session.
    const access = await auth.verify(tokens.access_token, 'billing');
    expect(access).toMatchObject({ sub: danaId, client_id: storefrontId, scope: 'billing:read', sid: idClaims.sid });
    expect(tokens.scope).toBe('billing:read');
    expect(await oidc.fetchUserInfo(storefront, tokens.access_token, danaId)).toMatchObject({ sub: danaId, preferred_username: 'dana' });

    const second = await authorizationRequest(consoleApp, CONSOLE_CALLBACK);
    const { callback: consoleCallback } = await follow(browser, second.url);
    expect(consoleCallback).toBeDefined();
    const consoleTokens = await oidc.authorizationCodeGrant(consoleApp, consoleCallback!, { pkceCodeVerifier: second.verifier, expectedState: second.state, expectedNonce: second.nonce, idTokenExpected: true });
    expect(consoleTokens.claims()).toMatchObject({ sub: danaId, aud: consoleId, sid: idClaims.sid, auth_time: idClaims.auth_time });

    // Signing out at the issuer ends both apps' tokens.
    const account = await (await browser.get('/account')).text();
    await browser.post('/logout', { csrf: Browser.csrfOf(account, '/logout') });
    expect((await userinfo(tokens.access_token)).status).toBe(401);
    expect((await userinfo(consoleTokens.access_token)).status).toBe(401);
    // And the next authorization asks for the password again.
    const again = await follow(browser, (await authorizationRequest(storefront, STOREFRONT_CALLBACK)).url);
    expect(again.callback).toBeUndefined();
    expect(await again.response.text()).toContain('<form method="post" action="/login">');
  });

  it('gives an app registered for refresh tokens one with offline_access, bound to that app, ending with the session', async () => {
    const browser = new Browser(auth.url);
    const first = await authorizationRequest(storefront, STOREFRONT_CALLBACK, { scope: 'openid offline_access billing:read' });
    const tokens = await oidc.authorizationCodeGrant(storefront, await signInThrough(browser, first.url), { pkceCodeVerifier: first.verifier, expectedState: first.state, expectedNonce: first.nonce });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const sid = tokens.claims()!.sid;

    // Another client registered for refresh tokens cannot use it, nor revoke it; trying does not use it up.
    const other = await register({ name: 'other app', scopes: ['billing:read'], token_endpoint_auth_method: 'none', redirect_uris: ['http://127.0.0.1:4001/callback'] });
    const stolen = await fetch(`${auth.url}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: other.client_id }) });
    expect(stolen.status).toBe(400);
    expect(await stolen.json()).toMatchObject({ error: 'invalid_grant', error_description: 'the refresh token was issued to another client' });
    const asConsole = { authorization: `Basic ${Buffer.from(`${consoleId}:${consoleSecret}`).toString('base64')}` };
    const asLogin = await fetch(`${auth.url}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }) });
    expect(await asLogin.json()).toMatchObject({ error: 'invalid_grant' });
    const revokedByOther = await fetch(`${auth.url}/oauth/revoke`, { method: 'POST', body: new URLSearchParams({ token: tokens.refresh_token!, client_id: other.client_id }) });
    expect(revokedByOther.status).toBe(400);
    // Introspection (any authenticated client) names the app the token belongs to and its scopes.
    const introspected = await fetch(`${auth.url}/oauth/introspect`, { method: 'POST', headers: asConsole, body: new URLSearchParams({ token: tokens.refresh_token! }) });
    expect(await introspected.json()).toMatchObject({ active: true, token_type: 'refresh_token', client_id: storefrontId, scope: 'billing:read', sid });

    const refreshed = await oidc.refreshTokenGrant(storefront, tokens.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(await auth.verify(refreshed.access_token, 'billing')).toMatchObject({ sub: danaId, client_id: storefrontId, scope: 'billing:read', sid });
    expect(await oidc.fetchUserInfo(storefront, refreshed.access_token, danaId)).toMatchObject({ sub: danaId, preferred_username: 'dana' });

    // A client not registered for refresh tokens gets none, even when it asks.
    const second = await authorizationRequest(consoleApp, CONSOLE_CALLBACK, { scope: 'openid offline_access billing:read' });
    const { callback } = await follow(browser, second.url);
    const consoleTokens = await oidc.authorizationCodeGrant(consoleApp, callback!, { pkceCodeVerifier: second.verifier, expectedState: second.state, expectedNonce: second.nonce });
    expect(consoleTokens.refresh_token).toBeUndefined();

    // The account page names both apps for this browser's session.
    const account = await (await browser.get('/account')).text();
    expect(account).toContain('<li>storefront</li>');
    expect(account).toContain('<li>console</li>');

    // The app revoking its own refresh token ends only that: the sign-in and the other app go on.
    const revoked = await fetch(`${auth.url}/oauth/revoke`, { method: 'POST', body: new URLSearchParams({ token: refreshed.refresh_token!, client_id: storefrontId }) });
    expect(revoked.status).toBe(200);
    await expect(oidc.refreshTokenGrant(storefront, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await userinfo(consoleTokens.access_token)).status).toBe(200);

    // Signing out at the issuer ends every refresh token of the sign-in.
    const third = await authorizationRequest(storefront, STOREFRONT_CALLBACK, { scope: 'openid offline_access billing:read' });
    const again = await oidc.authorizationCodeGrant(storefront, (await follow(browser, third.url)).callback!, { pkceCodeVerifier: third.verifier, expectedState: third.state, expectedNonce: third.nonce });
    await browser.post('/logout', { csrf: Browser.csrfOf(account, '/logout') });
    await expect(oidc.refreshTokenGrant(storefront, again.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a wrong or missing PKCE verifier', async () => {
    const browser = new Browser(auth.url);
    const request = await authorizationRequest(storefront, STOREFRONT_CALLBACK);
    const callback = await signInThrough(browser, request.url);
    const wrong = await oidc.authorizationCodeGrant(storefront, callback, { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: request.state, expectedNonce: request.nonce }).catch((error: unknown) => error);
    expect(wrong).toMatchObject({ error: 'invalid_grant', error_description: 'code_verifier does not match the code_challenge' });

    const another = await authorizationRequest(storefront, STOREFRONT_CALLBACK);
    const { callback: anotherCallback } = await follow(browser, another.url);
    const missing = await auth.post('/oauth/token', { grant_type: 'authorization_code', client_id: storefrontId, code: anotherCallback!.searchParams.get('code')!, redirect_uri: STOREFRONT_CALLBACK });
    expect(await missing.json()).toMatchObject({ error: 'invalid_request', error_description: 'code_verifier is required (PKCE): 43 to 128 characters' });
  });

  it('lets a code be used once: a second use is refused and ends the sign-in, every token of the first use with it', async () => {
    const browser = new Browser(auth.url);
    const request = await authorizationRequest(storefront, STOREFRONT_CALLBACK, { scope: 'openid offline_access billing:read' });
    const callback = await signInThrough(browser, request.url);
    const tokens = await oidc.authorizationCodeGrant(storefront, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    expect((await userinfo(tokens.access_token)).status).toBe(200);
    const replay = await auth.post('/oauth/token', { grant_type: 'authorization_code', client_id: storefrontId, code: callback.searchParams.get('code')!, redirect_uri: STOREFRONT_CALLBACK, code_verifier: request.verifier });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant', error_description: 'the authorization code was already used; the sign-in it was issued in is ended' });
    expect((await userinfo(tokens.access_token)).status).toBe(401);
    await expect(oidc.refreshTokenGrant(storefront, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await browser.get('/account')).status).toBe(303);
  });

  it('binds a code to its client and redirect URI', async () => {
    const browser = new Browser(auth.url);
    const request = await authorizationRequest(storefront, STOREFRONT_CALLBACK);
    const code = (await signInThrough(browser, request.url)).searchParams.get('code')!;
    const otherClient = await auth.post('/oauth/token', { grant_type: 'authorization_code', code, redirect_uri: STOREFRONT_CALLBACK, code_verifier: request.verifier }, { headers: { authorization: `Basic ${Buffer.from(`${consoleId}:wrong`).toString('base64')}` } });
    expect(otherClient.status).toBe(401);
    const otherUri = await auth.post('/oauth/token', { grant_type: 'authorization_code', client_id: storefrontId, code, redirect_uri: 'http://127.0.0.1:4000/other', code_verifier: request.verifier });
    expect(await otherUri.json()).toMatchObject({ error: 'invalid_grant', error_description: 'redirect_uri is not the one the code was issued for' });
  });

  it('never redirects to a redirect URI the client did not register, and shows the user why', async () => {
    const browser = new Browser(auth.url);
    const request = await authorizationRequest(storefront, 'https://attacker.example/steal');
    const response = await browser.get(pathOf(request.url));
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('redirect_uri is missing or not one the application registered');
    const unknownClient = await browser.get(`/authorize?client_id=nobody&redirect_uri=${encodeURIComponent(STOREFRONT_CALLBACK)}&response_type=code`);
    expect(unknownClient.status).toBe(400);
    expect(unknownClient.headers.get('location')).toBeNull();
  });

  it('answers errors after the redirect URI is known at the redirect URI, with the state untouched, or none when none was sent', async () => {
    const browser = new Browser(auth.url);
    const base = `/authorize?client_id=${storefrontId}&redirect_uri=${encodeURIComponent(STOREFRONT_CALLBACK)}`;
    const cases: Array<[string, string]> = [
      ['&response_type=token&state=s%20t', 'unsupported_response_type'],
      ['&response_type=code&state=s%20t', 'invalid_request'],
      [`&response_type=code&state=s%20t&code_challenge=${'a'.repeat(43)}&code_challenge_method=plain`, 'invalid_request'],
      [`&response_type=code&state=s%20t&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256&scope=openid%20admin`, 'invalid_scope'],
      [`&response_type=code&state=s%20t&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256&prompt=none`, 'login_required'],
    ];
    for (const [query, error] of cases) {
      const location = new URL((await browser.get(`${base}${query}`)).headers.get('location')!);
      expect({ query, origin: location.origin + location.pathname, error: location.searchParams.get('error'), state: location.searchParams.get('state') }).toEqual({ query, origin: STOREFRONT_CALLBACK, error, state: 's t' });
    }
    const stateless = new URL((await browser.get(`${base}&response_type=code&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256&prompt=none`)).headers.get('location')!);
    expect(stateless.searchParams.has('state')).toBe(false);
    expect(stateless.searchParams.get('error')).toBe('login_required');
  });

  it("ends a disabled user's sign-in: prompt=none asks for a login, and a code issued before is refused", async () => {
    const created = await fetch(`${auth.url}/admin/users`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(adminToken) }, body: JSON.stringify({ username: 'hal', password: 'hal-password-1', scopes: ['billing:read'] }) });
    const hal = (await created.json()) as { id: string };
    const browser = new Browser(auth.url);
    await browser.signIn('hal', 'hal-password-1');
    const request = await authorizationRequest(storefront, STOREFRONT_CALLBACK);
    const { callback } = await follow(browser, request.url);
    expect(callback?.searchParams.get('code')).toEqual(expect.any(String));
    await fetch(`${auth.url}/admin/users/${hal.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json', ...bearer(adminToken) }, body: JSON.stringify({ disabled: true }) });
    const refused = await oidc.authorizationCodeGrant(storefront, callback!, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ error: 'invalid_grant' });
    const silent = await authorizationRequest(storefront, STOREFRONT_CALLBACK, { prompt: 'none' });
    const { callback: silentCallback } = await follow(browser, silent.url);
    expect(silentCallback?.searchParams.get('error')).toBe('login_required');
  });

  it('asks for the password again with prompt=login, even in a signed-in browser', async () => {
    const browser = new Browser(auth.url);
    await signInThrough(browser, (await authorizationRequest(storefront, STOREFRONT_CALLBACK)).url);
    const fresh = await authorizationRequest(storefront, STOREFRONT_CALLBACK, { prompt: 'login' });
    const first = await follow(browser, fresh.url);
    expect(first.callback).toBeUndefined();
    const callback = await signInThrough(browser, fresh.url);
    const tokens = await oidc.authorizationCodeGrant(storefront, callback, { pkceCodeVerifier: fresh.verifier, expectedState: fresh.state, expectedNonce: fresh.nonce });
    expect(tokens.claims()!.auth_time).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 5);
  });
  it("signs out from an app with its ID token: the session ends, every app's tokens with it, and the browser goes back", async () => {
    const browser = new Browser(auth.url);
    const first = await authorizationRequest(storefront, STOREFRONT_CALLBACK);
    const tokens = await oidc.authorizationCodeGrant(storefront, await signInThrough(browser, first.url), { pkceCodeVerifier: first.verifier, expectedState: first.state, expectedNonce: first.nonce });
    const second = await authorizationRequest(consoleApp, CONSOLE_CALLBACK);
    const consoleTokens = await oidc.authorizationCodeGrant(consoleApp, (await follow(browser, second.url)).callback!, { pkceCodeVerifier: second.verifier, expectedState: second.state, expectedNonce: second.nonce });

    // Without the hint, only a question: a link elsewhere cannot sign the user out.
    const asked = await browser.get('/end-session');
    expect(await asked.text()).toContain('<form method="post" action="/logout">');
    expect((await userinfo(tokens.access_token)).status).toBe(200);
    // A post-logout URI the app did not register, or a hint this issuer did not sign: refused, no redirect.
    const elsewhere = await browser.get(pathOf(oidc.buildEndSessionUrl(storefront, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'https://attacker.example/' })));
    expect({ status: elsewhere.status, location: elsewhere.headers.get('location') }).toEqual({ status: 400, location: null });
    const forged = await browser.get(`/end-session?id_token_hint=${tokens.id_token!.slice(0, -4)}AAAA`);
    expect(forged.status).toBe(400);
    expect((await userinfo(tokens.access_token)).status).toBe(200);

    const endSession = oidc.buildEndSessionUrl(storefront, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: STOREFRONT_HOME, state: 'bye' });
    expect(endSession.href.startsWith(`${auth.url}/end-session?`)).toBe(true);
    const signedOut = await browser.get(pathOf(endSession));
    expect(signedOut.headers.get('location')).toBe(`${STOREFRONT_HOME}?state=bye`);
    expect(browser.cookies.has('sso_session')).toBe(false);
    expect((await userinfo(tokens.access_token)).status).toBe(401);
    expect((await userinfo(consoleTokens.access_token)).status).toBe(401);
  });
});
