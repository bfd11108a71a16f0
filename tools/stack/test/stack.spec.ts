import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestEnv, expectServiceBasics, sparePort, TEST_REDIS_URL, waitFor } from '@sso/testing';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureServiceClients } from '../src/service-clients.mjs';
import { ensureStorefrontKey } from '../src/storefront-key.mjs';
import { portVariable, services, webApps } from '../src/services.mjs';
import { ensureWebClients } from '../src/web-clients.mjs';
import { launchService, launchStack, type Launched } from './stack-process.js';

async function stackPorts(): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const { name } of [...services, ...webApps]) env[portVariable(name)] = String(await sparePort());
  return env;
}

describe('npm start', () => {
  const testEnv = createTestEnv({}, { projectionsWhole: false });
  let ports: Record<string, string>;
  let stack: Launched;

  beforeAll(async () => {
    ports = await stackPorts();
    stack = launchStack({ ...ports, DATA_DIR: testEnv.dataDir, REDIS_URL: TEST_REDIS_URL, HOST: '127.0.0.1' });
    await waitFor(() => /All 6 services are ready/.test(stack.output()) || stack.child.exitCode !== null, 'the stack to be ready', 90_000, 100);
  });
  afterAll(async () => {
    if (stack?.child.exitCode === null) {
      stack.child.kill('SIGKILL');
      await stack.exited;
    }
    testEnv.cleanup();
  });

  it('starts the six services, prints their table and the generated secrets', () => {
    const output = stack.output();
    expect(output).toMatch(/All 6 services are ready/);
    for (const { name } of services) {
      const port = ports[portVariable(name)];
      expect(output).toMatch(new RegExp(`${name}\\s+http://localhost:${port}\\s+http://localhost:${port}/docs`));
    }
    expect(output).toMatch(/AUTH_ADMIN_PASSWORD=[\w-]{24}\n/);
    expect(output).toMatch(/API_KEYS_ADMIN_KEY=[0-9a-f]{32}\n/);
    expect(output).toMatch(/API_KEYS_ENCRYPTION_SECRET=[\w-]{43}\n/);
  });

  it('registers the OAuth clients billing and product call other services with, and reuses them', async () => {
    const file = join(testEnv.dataDir, 'service-clients.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const clients = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { clientId: string; clientSecret: string }>;
    expect(Object.keys(clients).sort()).toEqual(['billing', 'product']);
    const authUrl = `http://127.0.0.1:${ports.AUTH_PORT}`;
    const token = await fetch(`${authUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clients.product.clientId, client_secret: clients.product.clientSecret }),
    });
    expect(await token.json()).toMatchObject({ scope: 'usage-tracking:write' });
    const secrets = JSON.parse(readFileSync(join(testEnv.dataDir, 'secrets.json'), 'utf8')) as { AUTH_ADMIN_PASSWORD: string };
    const again = await ensureServiceClients({ authUrl, adminUsername: 'admin', adminPassword: secrets.AUTH_ADMIN_PASSWORD, dataDir: testEnv.dataDir });
    expect(again).toEqual(clients);
  });

  it('registers the demo apps at auth with their redirect URIs, reuses them, and the console and storefront send users to sign in', async () => {
    const file = join(testEnv.dataDir, 'web-clients.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const clients = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { clientId: string; clientSecret?: string }>;
    expect(clients).toEqual({ console: { clientId: expect.any(String), clientSecret: expect.any(String) }, storefront: { clientId: expect.any(String) } });
    const origins = { console: `http://localhost:${ports.CONSOLE_PORT}`, storefront: `http://localhost:${ports.PRODUCT_PORT}` };
    expect(stack.output()).toContain(`sign in at the console, ${origins.console}/`);
    const secrets = JSON.parse(readFileSync(join(testEnv.dataDir, 'secrets.json'), 'utf8')) as { AUTH_ADMIN_PASSWORD: string };
    const authUrl = `http://127.0.0.1:${ports.AUTH_PORT}`;
    expect(await ensureWebClients({ authUrl, adminUsername: 'admin', adminPassword: secrets.AUTH_ADMIN_PASSWORD, dataDir: testEnv.dataDir, origins })).toEqual(clients);
    // Each app's sign-in goes to the issuer as its own client, back to its own registered callback.
    for (const [signIn, client, callback] of [
      [`http://127.0.0.1:${ports.CONSOLE_PORT}/signin`, clients.console.clientId, `${origins.console}/callback`],
      [`http://127.0.0.1:${ports.PRODUCT_PORT}/storefront/signin`, clients.storefront.clientId, `${origins.storefront}/storefront/callback`],
    ]) {
      const redirect = await fetch(signIn, { redirect: 'manual' });
      expect(redirect.status).toBe(303);
      const authorize = new URL(redirect.headers.get('location')!);
      expect(authorize.href.startsWith(`http://localhost:${ports.AUTH_PORT}/authorize?`)).toBe(true);
      expect(Object.fromEntries(authorize.searchParams)).toMatchObject({ client_id: client, redirect_uri: callback, response_type: 'code', code_challenge_method: 'S256' });
      // A callback this browser did not start (no sign-in cookie: a forged or replayed link) is refused, and sets no session.
      const forged = await fetch(`${new URL(signIn).origin}${new URL(callback).pathname}?code=x&state=${authorize.searchParams.get('state')}`, { redirect: 'manual' });
      expect(forged.status).toBe(400);
      expect(await forged.text()).toContain('not started here');
      expect(forged.headers.get('set-cookie')).not.toMatch(/_session=[^;]/);
    }
    // The console reached elsewhere: a client with the new redirect URIs replaces the old one at auth.
    const moved = (await ensureWebClients({ authUrl, adminUsername: 'admin', adminPassword: secrets.AUTH_ADMIN_PASSWORD, dataDir: testEnv.dataDir, origins: { ...origins, console: 'http://localhost:3999' } })) as typeof clients;
    expect(moved.storefront).toEqual(clients.storefront);
    expect(moved.console.clientId).not.toBe(clients.console.clientId);
    const login = await fetch(`${authUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: secrets.AUTH_ADMIN_PASSWORD }) });
    const listed = (await (await fetch(`${authUrl}/admin/clients?limit=100`, { headers: { authorization: `Bearer ${((await login.json()) as { access_token: string }).access_token}` } })).json()) as { items: { client_id: string; redirect_uris: string[] }[] };
    expect(listed.items.find((client) => client.client_id === clients.console.clientId)).toBeUndefined();
    expect(listed.items.find((client) => client.client_id === moved.console.clientId)?.redirect_uris).toEqual(['http://localhost:3999/callback']);
  });

  it("gives product's storefront a search-only key of its own, kept in DATA_DIR, that works only from product's pages", async () => {
    const productOrigin = `http://localhost:${ports.PRODUCT_PORT}`;
    expect(stack.output()).toContain(`Storefront (search with a search-only key): ${productOrigin}/storefront/`);
    const file = join(testEnv.dataDir, 'storefront-key.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const { key } = JSON.parse(readFileSync(file, 'utf8')) as { key: string };
    // The key reaches product through the key service's projection in Redis, moments after it is made.
    const storefrontPage = async () => (await fetch(`http://127.0.0.1:${ports.PRODUCT_PORT}/storefront/`)).text();
    await waitFor(async () => (await storefrontPage()).includes(key), 'the key to reach product', 5_000).catch(() => undefined);
    expect(await storefrontPage()).toContain(`"searchKey":"${key}"`);

    const secrets = JSON.parse(readFileSync(join(testEnv.dataDir, 'secrets.json'), 'utf8')) as { API_KEYS_ADMIN_KEY: string };
    const admin = { 'x-algolia-application-id': 'SSODEMO', 'x-algolia-api-key': secrets.API_KEYS_ADMIN_KEY };
    const apiKeysUrl = `http://127.0.0.1:${ports.API_KEYS_PORT}`;
    const described = (await (await fetch(`${apiKeysUrl}/1/keys/${key}`, { headers: admin })).json()) as { acl: string[]; indexes: string[]; referers: string[] };
    expect(described).toMatchObject({ acl: ['search'], indexes: ['products'], referers: [`${productOrigin}/storefront*`, `http://127.0.0.1:${ports.PRODUCT_PORT}/storefront*`] });

    const search = (referer?: string) =>
      fetch(`http://127.0.0.1:${ports.PRODUCT_PORT}/1/indexes/products/query?x-algolia-application-id=SSODEMO&x-algolia-api-key=${key}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', ...(referer ? { referer } : {}) },
        body: '{"query":""}',
      });
    expect((await search(`${productOrigin}/storefront/`)).status).toBe(200);
    expect((await search('https://elsewhere.example/')).status).toBe(403);
    expect((await search()).status).toBe(403);

    const ensure = (productOrigins: string[]) => ensureStorefrontKey({ apiKeysUrl, applicationId: 'SSODEMO', adminKey: secrets.API_KEYS_ADMIN_KEY, productOrigins, dataDir: testEnv.dataDir });
    expect(await ensure([productOrigin, `http://127.0.0.1:${ports.PRODUCT_PORT}`])).toBe(key);
    // Product on another port: the stored key's referers no longer fit, so a new key is made and kept.
    const moved = await ensure(['http://localhost:3999']);
    expect(moved).not.toBe(key);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ key: moved });
  });

  it.each(services.map(({ name }) => [name]))('serves %s with health, metrics, docs, request ids and the error body', async (name) => {
    await expectServiceBasics(`http://127.0.0.1:${ports[portVariable(name)]}`, name);
  });

  it('stops every service on SIGTERM and frees their ports', async () => {
    stack.child.kill('SIGTERM');
    expect(await stack.exited).toBe(0);
    expect(stack.output()).toMatch(/All services stopped/);
    for (const { name } of [...services, ...webApps]) {
      await expect(fetch(`http://127.0.0.1:${ports[portVariable(name)]}/health/live`)).rejects.toThrow();
    }
  });
});

describe('npm start refuses to run', () => {
  const testEnv = createTestEnv();
  afterAll(() => testEnv.cleanup());

  it('when Redis is unreachable, at once, saying which and how to fix it', async () => {
    const redisPort = await sparePort();
    const launched = launchStack({ ...(await stackPorts()), DATA_DIR: testEnv.dataDir, REDIS_URL: `redis://127.0.0.1:${redisPort}` });
    expect(await launched.exited).toBe(1);
    expect(launched.output()).toContain(`Redis is not reachable at redis://127.0.0.1:${redisPort}`);
    expect(launched.output()).toMatch(/REDIS_URL/);
  });

  it('when a port is taken, naming the port, the service and the variable to change', async () => {
    const ports = await stackPorts();
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(Number(ports.BILLING_PORT), '127.0.0.1', resolve));
    try {
      const launched = launchStack({ ...ports, DATA_DIR: testEnv.dataDir, REDIS_URL: TEST_REDIS_URL, HOST: '127.0.0.1' });
      expect(await launched.exited).toBe(1);
      expect(launched.output()).toContain(`Port ${ports.BILLING_PORT} (billing) is already in use`);
      expect(launched.output()).toContain('BILLING_PORT=<port>');
    } finally {
      holder.close();
    }
  });
});

describe('a service started with NODE_ENV=production', () => {
  const testEnv = createTestEnv();
  afterAll(() => testEnv.cleanup());

  it.each([
    ['auth', ['DATABASE_URL', 'AUTH_ISSUER', 'AUTH_ADMIN_PASSWORD', 'AUTH_KEY_ENCRYPTION_SECRET', 'API_KEYS_ENCRYPTION_SECRET']],
    ['api-keys', ['DATABASE_URL', 'AUTH_ISSUER', 'API_KEYS_ADMIN_KEY', 'API_KEYS_ENCRYPTION_SECRET']],
    ['product', ['DATABASE_URL', 'AUTH_ISSUER', 'AUTH_CLIENT_ID', 'API_KEYS_ENCRYPTION_SECRET']],
    ['billing', ['DATABASE_URL', 'AUTH_ISSUER']],
  ])('%s refuses to start without its secrets and names each one', async (service, missing) => {
    const launched = launchService(service as string, { NODE_ENV: 'production', DATA_DIR: testEnv.dataDir, PORT: String(await sparePort()) });
    expect(await launched.exited).toBe(1);
    for (const name of missing) expect(launched.output()).toContain(`${name} is required in production`);
    expect(launched.output()).not.toMatch(/listening/);
  });
});
