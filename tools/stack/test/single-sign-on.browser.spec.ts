import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startEcosystem, type Ecosystem } from './ecosystem.js';

/** Debian's chromium package; its own download cannot work offline. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots kept by CI as artifacts. */
const OUTPUT = fileURLToPath(new URL('../test-output/single-sign-on/', import.meta.url));
const PASSWORD = 'dana-password-1';

describe('single sign-on in headless Chromium: the console and the storefront', () => {
  let eco: Ecosystem;
  let browser: Browser;
  let context: BrowserContext;
  let adminToken: string;

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const admin = (path: string, body: unknown) => fetch(`${eco.urls.auth}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(adminToken) }, body: JSON.stringify(body) });
  /** One read per resource service with the token, as its user would make it. */
  const readEverywhere = (token: string) => {
    const from = new Date(Date.UTC(2026, 0, 1)).toISOString();
    const to = new Date(Date.UTC(2027, 0, 1)).toISOString();
    const paths = { billing: '/invoices', 'usage-tracking': `/usage/summary?from=${from}&to=${to}`, settings: '/settings', product: '/products' };
    return Promise.all(Object.entries(paths).map(async ([service, path]) => (await fetch(`${eco.urls[service]}${path}`, { headers: bearer(token) })).status));
  };
  /** Token hygiene on the page shown: nothing in the URL's fragment, nothing in its storage, no cookie a script can read. */
  const expectNoTokenInReach = async (page: Page) => {
    expect(new URL(page.url()).hash).toBe('');
    // Evaluated in the page, as its own scripts would see it.
    expect(await page.evaluate('({ cookies: document.cookie, local: localStorage.length, session: sessionStorage.length })')).toEqual({ cookies: '', local: 0, session: 0 });
  };

  /**
   * An access token of the browser's issuer session (the same `sid` as the apps' tokens), for
   * every resource service: a third client's code flow in the same browser, its callback
   * received by a server of the test's own.
   */
  const tokenOfTheBrowserSession = async () => {
    let callback: URL | undefined;
    const receiver = createServer((request, response) => {
      // Only the callback: the browser may ask this origin for its favicon too.
      const received = new URL(request.url!, probeCallback);
      if (received.pathname === '/probe-callback') callback = received;
      response.end('received');
    });
    await new Promise<void>((listening) => receiver.listen(0, '127.0.0.1', listening));
    const probeCallback = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/probe-callback`;
    const registered = await admin('/admin/clients', {
      name: 'probe',
      scopes: ['billing:read', 'usage-tracking:read', 'settings:read', 'product:read'],
      grant_types: ['authorization_code'],
      redirect_uris: [probeCallback],
    });
    const { client_id: clientId, client_secret: clientSecret } = (await registered.json()) as { client_id: string; client_secret: string };
    const config = await oidc.discovery(new URL(eco.urls.auth), clientId, clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: probeCallback, scope: 'openid billing:read usage-tracking:read settings:read product:read', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state });
    const page = await context.newPage();
    await page.goto(url.href);
    await page.close();
    receiver.close();
    const tokens = await oidc.authorizationCodeGrant(config, callback!, { pkceCodeVerifier: verifier, expectedState: state });
    return tokens.access_token;
  };

  beforeAll(async () => {
    eco = await startEcosystem();
    const login = await fetch(`${eco.urls.auth}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: eco.adminPassword }) });
    adminToken = ((await login.json()) as { access_token: string }).access_token;
    const created = await admin('/admin/users', { username: 'dana', password: PASSWORD, scopes: ['billing:read', 'usage-tracking:read', 'settings:read', 'product:read'] });
    expect(created.status).toBe(201);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    context = await browser.newContext();
    mkdirSync(OUTPUT, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await eco?.close();
  });

  it('signs in once at the console; the storefront gets the user with no password; one sign-out ends both apps and every service', async () => {
    const page = await context.newPage();
    const loginPagesShown: string[] = [];
    page.on('request', (request) => {
      if (request.isNavigationRequest() && new URL(request.url()).pathname === '/login' && request.method() === 'GET') loginPagesShown.push(request.url());
    });

    // The console sends the browser to the issuer's sign-in page.
    await page.goto(`${eco.urls.console}/`);
    await expect(page.locator('#signed-out').textContent()).resolves.toContain('not signed in');
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL(`${eco.urls.auth}/login**`);
    expect(loginPagesShown).toHaveLength(1);
    await expectNoTokenInReach(page);
    await page.screenshot({ path: `${OUTPUT}login-page.png`, fullPage: true });
    await page.getByLabel('Username').fill('dana');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Back at the console, signed in; its call to billing with its own token works.
    await page.waitForURL(`${eco.urls.console}/`);
    await expect(page.locator('#signed-in').textContent()).resolves.toContain('dana');
    await expect(page.locator('#invoices').getAttribute('data-status')).resolves.toBe('200');
    await expect(page.locator('#settings').getAttribute('data-status')).resolves.toBe('200');
    await expectNoTokenInReach(page);

    // The storefront: its sign-in goes through the issuer and comes straight back, no password asked.
    await page.goto(`${eco.urls.product}/storefront/account`);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL(`${eco.urls.product}/storefront/account`);
    await expect(page.locator('#signed-in').textContent()).resolves.toContain('dana');
    await expect(page.locator('#invoices').getAttribute('data-status')).resolves.toBe('200');
    expect(loginPagesShown).toHaveLength(1);
    await expectNoTokenInReach(page);

    // The issuer's account page names the user, the session and both apps; its cookie is out of scripts' reach.
    await page.goto(`${eco.urls.auth}/account`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Your account');
    const apps = await page.locator('h2:has-text("Applications") + ul li').allTextContents();
    expect(apps.sort()).toEqual(['console', 'storefront']);
    await expectNoTokenInReach(page);
    await page.screenshot({ path: `${OUTPUT}account-page.png`, fullPage: true });

    // A token of the same browser session works at all four services until the user signs out.
    const sessionToken = await tokenOfTheBrowserSession();
    expect(await readEverywhere(sessionToken)).toEqual([200, 200, 200, 200]);

    // Sign out at the console: through the issuer's end-session endpoint and back.
    await page.goto(`${eco.urls.console}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    const signedOutAt = Date.now();
    await page.waitForURL(`${eco.urls.console}/`);
    await expect(page.locator('#signed-out').textContent()).resolves.toContain('not signed in');

    // Every resource service refuses the session's token within a second.
    let statuses = await readEverywhere(sessionToken);
    while (statuses.some((status) => status !== 401) && Date.now() - signedOutAt < 1_000) statuses = await readEverywhere(sessionToken);
    expect(statuses).toEqual([401, 401, 401, 401]);
    expect(Date.now() - signedOutAt).toBeLessThan(1_000);

    // The storefront sees the sign-in ended too, and signing in again asks for the password.
    await page.goto(`${eco.urls.product}/storefront/account`);
    await expect(page.locator('#signed-out').textContent()).resolves.toContain('not signed in');
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL(`${eco.urls.auth}/login**`);
    expect(loginPagesShown).toHaveLength(2);
  });
});
