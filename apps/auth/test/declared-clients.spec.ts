import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ClientsService } from '../src/clients/clients.service.js';
import { loadAuthConfig } from '../src/config.js';
import { basic, bearer, startAuth, type AuthHarness } from './auth-harness.js';

const BILLING_SECRET = 'billing-secret-0123456789abcdefghijklmnop';
const PRODUCT_SECRET = 'product-secret-0123456789abcdefghijklmnop';
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe('declared clients (AUTH_CLIENTS)', () => {
  let auth: AuthHarness;
  const tokenFor = (id: string, secret: string) => auth.post('/oauth/token', { grant_type: 'client_credentials' }, { headers: basic(id, secret) });
  const clientEvents = async (subject: string) => {
    const response = await fetch(`${auth.url}/admin/audit-events?subject=${subject}`, { headers: bearer(await auth.adminToken()) });
    return ((await response.json()) as { items: Array<{ type: string }> }).items.map(({ type }) => type).filter((type) => type.startsWith('client.')).sort();
  };

  beforeAll(async () => {
    auth = await startAuth({
      AUTH_CLIENTS: JSON.stringify([
        { client_id: 'billing', scope: 'usage-tracking:read', client_secret: BILLING_SECRET },
        { client_id: 'product', client_name: 'Product catalog', scope: 'usage-tracking:write', client_secret_sha256: sha256(PRODUCT_SECRET) },
        { client_id: 'storefront', scope: 'billing:read', token_endpoint_auth_method: 'none', redirect_uris: ['http://127.0.0.1:4000/callback'], post_logout_redirect_uris: ['http://127.0.0.1:4000/'] },
      ]),
    });
  });
  afterAll(() => auth?.close());

  it('exist at start: each gets tokens with its declared scopes, from a secret or from its hash', async () => {
    const billing = await tokenFor('billing', BILLING_SECRET);
    expect(billing.status).toBe(200);
    expect(await auth.verify(((await billing.json()) as { access_token: string }).access_token)).toMatchObject({ client_id: 'billing', scope: 'usage-tracking:read' });
    const product = await tokenFor('product', PRODUCT_SECRET);
    expect(product.status).toBe(200);
    expect(await auth.verify(((await product.json()) as { access_token: string }).access_token)).toMatchObject({ client_id: 'product', scope: 'usage-tracking:write' });
    expect((await tokenFor('billing', PRODUCT_SECRET)).status).toBe(401);
  });

  it('are brought back to their declaration at every start, and only a real change is audited', async () => {
    const clients = auth.app.get(ClientsService);
    await clients.onApplicationBootstrap();
    expect(await clientEvents('billing')).toEqual(['client.created']);

    // The deployment's environment now gives billing another secret: the old one stops working.
    const rotated = 'billing-rotated-secret-0123456789abcdefghij';
    auth.config.AUTH_CLIENTS[0].secretHash = sha256(rotated);
    await clients.onApplicationBootstrap();
    expect((await tokenFor('billing', BILLING_SECRET)).status).toBe(401);
    expect((await tokenFor('billing', rotated)).status).toBe(200);
    expect(await clientEvents('billing')).toEqual(['client.created', 'client.updated']);
  });

  it('declare public clients too, with their redirect URIs and no secret', async () => {
    const listed = (await (await fetch(`${auth.url}/admin/clients?limit=200`, { headers: bearer(await auth.adminToken()) })).json()) as { items: Array<Record<string, unknown>> };
    expect(listed.items.find((client) => client.client_id === 'storefront')).toMatchObject({
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      redirect_uris: ['http://127.0.0.1:4000/callback'],
      post_logout_redirect_uris: ['http://127.0.0.1:4000/'],
    });
    expect(listed.items.find((client) => client.client_id === 'billing')).toMatchObject({ token_endpoint_auth_method: 'client_secret_basic', redirect_uris: [] });
    expect((await tokenFor('storefront', '')).status).toBe(401);
    await auth.app.get(ClientsService).onApplicationBootstrap();
    expect(await clientEvents('storefront')).toEqual(['client.created']);
  });

  it('never logs a declared secret', () => {
    const text = JSON.stringify(auth.logs.lines);
    expect(text).toContain('declared client billing');
    expect(text).not.toContain(BILLING_SECRET);
  });
});

describe('AUTH_CLIENTS that cannot be used', () => {
  const env = { AUTH_ADMIN_PASSWORD: 'admin-password-x', AUTH_KEY_ENCRYPTION_SECRET: 'key-encryption-x', API_KEYS_ENCRYPTION_SECRET: 'api-keys-secret-x' };
  const secret = 'a-secret-that-must-never-be-printed-0123456789';

  it.each([
    ['not JSON', `[{"client_id":"billing","scope":"usage-tracking:read","client_secret":"${secret}"`, /must be a JSON array/],
    ['a short secret', JSON.stringify([{ client_id: 'billing', scope: 'usage-tracking:read', client_secret: 'short' }]), /client_secret: must be at least 32 characters of random data/],
    ['no secret', JSON.stringify([{ client_id: 'billing', scope: 'usage-tracking:read' }]), /exactly one of client_secret and client_secret_sha256/],
    ['a secret and its hash', JSON.stringify([{ client_id: 'billing', scope: 'usage-tracking:read', client_secret: secret, client_secret_sha256: sha256(secret) }]), /exactly one/],
    ['a malformed scope', JSON.stringify([{ client_id: 'billing', scope: 'usage-tracking:fly', client_secret: secret }]), /each scope must be/],
    ['an unknown audience', JSON.stringify([{ client_id: 'billing', scope: 'nowhere:read', client_secret: secret }]), /billing's scope nowhere:read names an audience not in AUTH_AUDIENCES/],
    ['a malformed client_id', JSON.stringify([{ client_id: 'has space', scope: 'usage-tracking:read', client_secret: secret }]), /client_id: must be/],
    ['a field RFC 7591 names but we do not take', JSON.stringify([{ client_id: 'billing', scope: 'usage-tracking:read', client_secret: secret, jwks_uri: 'https://x.example/jwks' }]), /jwks_uri/],
    ['redirect URIs without the code flow', JSON.stringify([{ client_id: 'billing', scope: 'usage-tracking:read', client_secret: secret, redirect_uris: ['https://x.example/cb'] }]), /billing: redirect_uris are only for authorization_code/],
    ['a redirect URI over plain http', JSON.stringify([{ client_id: 'app', scope: 'billing:read', client_secret: secret, grant_types: ['authorization_code'], redirect_uris: ['http://x.example/cb'] }]), /app: redirect_uris: http:\/\/x.example\/cb must use https/],
    ['a public client with a secret', JSON.stringify([{ client_id: 'app', scope: 'billing:read', client_secret: secret, token_endpoint_auth_method: 'none', redirect_uris: ['https://x.example/cb'] }]), /a public client \(token_endpoint_auth_method none\) has no client_secret/],
    ['one client_id twice', JSON.stringify([{ client_id: 'billing', scope: 'usage-tracking:read', client_secret: secret }, { client_id: 'billing', scope: 'settings:read', client_secret: secret }]), /same client_id twice/],
  ])('%s is refused at start with a reason that does not print the secret', (_case, value, reason) => {
    let message = '';
    try {
      loadAuthConfig({ ...env, AUTH_CLIENTS: value });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(reason);
    expect(message).not.toContain(secret);
  });
});
