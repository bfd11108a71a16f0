import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startServiceHarness, type DatabaseKind, type ServiceHarness, type UsageStandIn } from '@sso/service-testing';
import { claimsOf, expectPagedCollection, type StandIn } from '@sso/testing';
import { billingService } from '../src/service.js';

const CLIENT_ID = 'billing-client';
const USER_SCOPES = 'billing:read billing:write usage-tracking:read';

describe.each<DatabaseKind>(['SQLite', 'PostgreSQL'])('billing invoices on %s', (database) => {
  const authBehaviour = { refuseExchange: false };
  let billing: ServiceHarness;
  let auth: StandIn;
  let usage: UsageStandIn;

  const token = (sub: string, scope = USER_SCOPES, extra: Record<string, unknown> = {}) => billing.userToken(sub, scope, extra);
  const call = (method: string, path: string, bearer?: string, body?: unknown) => billing.request(method, path, bearer, body);
  const counts = async () => ({ invoices: await billing.count('invoices'), customers: await billing.count('customers') });
  const summaryCalls = () => usage.requests.filter((request) => request.url.startsWith('/usage/summary'));

  beforeAll(async () => {
    billing = await startServiceHarness(billingService, {
      database,
      audience: ['billing', 'usage-tracking'],
      scope: USER_SCOPES,
      peers: {
        auth: authBehaviour,
        usage: { metrics: { 'user-1': { 'product.requests': 150, 'settings.writes': 3 }, 'user-2': { 'product.requests': 7 }, 'user-3': {} } },
      },
      env: { AUTH_CLIENT_ID: CLIENT_ID, AUTH_CLIENT_SECRET: 'billing-client-secret', BILLING_PRICES: '{"product.requests": 2}' },
    });
    ({ auth, usage } = billing as Required<ServiceHarness>);
  });
  afterAll(async () => {
    await billing?.close();
  });

  it("POST /invoices computes lines and total from usage-tracking's summary, fetched with billing's own token", async () => {
    const user = await token('user-1');
    const created = await fetch(`${billing.url}/invoices`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${user}`, 'x-request-id': 'invoice-request-1' }, body: '{"period":"2026-10"}' });
    expect(created.status).toBe(201);
    const invoice = (await created.json()) as Record<string, unknown>;
    expect(invoice).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      subject: 'user-1',
      period: '2026-10',
      lines: [
        { metric: 'product.requests', quantity: 150, unitPrice: 2, amount: 300 },
        { metric: 'settings.writes', quantity: 3, unitPrice: 0, amount: 0 },
      ],
      total: 300,
      currency: 'EUR',
      createdAt: expect.any(String),
    });

    const [summary] = summaryCalls();
    expect(new URL(summary.url, usage.url).searchParams.toString()).toBe(new URLSearchParams({ subject: 'user-1', from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' }).toString());
    expect(summary.requestId).toBe('invoice-request-1');
    const sent = claimsOf((summary.authorization ?? '').replace(/^Bearer /, ''));
    expect(sent).toMatchObject({ sub: CLIENT_ID, client_id: CLIENT_ID });
    expect(sent.act).toBeUndefined();
    const grant = new URLSearchParams(auth.requests[0].body);
    expect(grant.get('grant_type')).toBe('client_credentials');
    expect(Buffer.from((auth.requests[0].authorization ?? '').replace(/^Basic /, ''), 'base64').toString()).toBe(`${CLIENT_ID}:billing-client-secret`);

    expect(await (await call('GET', `/invoices/${String(invoice.id)}`, user)).json()).toEqual(invoice);
    expect(await (await call('GET', '/invoices', user)).json()).toEqual({ items: [invoice], total: 1, offset: 0, limit: 50 });
    await expectPagedCollection(billing.url, '/invoices?period=2026-10', { authorization: `Bearer ${user}` });
    expect(await counts()).toEqual({ invoices: 1, customers: 1 });

    const again = await call('POST', '/invoices', user, { period: '2026-10' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ statusCode: 409, error: 'Conflict', code: 'invoice_exists', message: expect.stringContaining(String(invoice.id)), requestId: expect.any(String) });
    expect(await counts()).toEqual({ invoices: 1, customers: 1 });
  });

  it('GET /invoices/preview reads usage on behalf of the caller through token exchange and stores nothing', async () => {
    const user = await token('user-2');
    const before = await counts();
    const exchangesBefore = auth.requests.length;
    const preview = await call('GET', '/invoices/preview?period=2026-11', user);
    expect(preview.status).toBe(200);
    expect(await preview.json()).toEqual({ subject: 'user-2', period: '2026-11', lines: [{ metric: 'product.requests', quantity: 7, unitPrice: 2, amount: 14 }], total: 14, currency: 'EUR' });

    const exchange = new URLSearchParams(auth.requests[exchangesBefore].body);
    expect(Object.fromEntries(exchange)).toMatchObject({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: user,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      audience: 'usage-tracking',
      scope: 'usage-tracking:read',
    });
    const sent = claimsOf((summaryCalls().at(-1)?.authorization ?? '').replace(/^Bearer /, ''));
    expect(sent).toMatchObject({ sub: 'user-2', act: { sub: CLIENT_ID } });
    expect(await counts()).toEqual(before);
  });

  it('lets a user see and bill only itself; a service or billing:admin acts on any subject', async () => {
    const owner = await token('user-1');
    const other = await token('user-2');
    const { items } = (await (await call('GET', '/invoices', owner)).json()) as { items: Array<{ id: string }> };
    const id = items[0].id;

    const foreign = await call('GET', `/invoices/${id}`, other);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ statusCode: 404, code: 'invoice_not_found' });
    expect(await (await call('GET', '/invoices', other)).json()).toEqual({ items: [], total: 0, offset: 0, limit: 50 });
    expect(await (await call('GET', '/invoices?subject=user-1', other)).json()).toEqual({ items: [], total: 0, offset: 0, limit: 50 });
    const billOther = await call('POST', '/invoices', other, { subject: 'user-1', period: '2026-09' });
    expect(billOther.status).toBe(403);
    expect(await billOther.json()).toMatchObject({ statusCode: 403, code: 'not_owner' });

    const admin = await token('admin-1', 'billing:read billing:admin');
    expect((await call('GET', `/invoices/${id}`, admin)).status).toBe(200);
    expect(((await (await call('GET', '/invoices?subject=user-1', admin)).json()) as { total: number }).total).toBe(1);

    const service = await billing.serviceToken('reporting', 'billing:read billing:write', { aud: ['billing'] });
    const billed = await call('POST', '/invoices', service, { subject: 'user-3', period: '2026-10' });
    expect(billed.status).toBe(201);
    expect(await billed.json()).toMatchObject({ subject: 'user-3', lines: [], total: 0 });
    expect(await counts()).toEqual({ invoices: 2, customers: 2 });
  });

  it('answers 401 without a token and 403 insufficient_scope without the route scope', async () => {
    const anonymous = await call('GET', '/invoices');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    const reader = await token('user-4', 'billing:read');
    const refused = await call('POST', '/invoices', reader, { period: '2026-10' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="billing:write"');
    expect(await refused.json()).toMatchObject({ statusCode: 403, code: 'insufficient_scope', requestId: expect.any(String) });
    expect((await call('GET', '/invoices', await token('user-4', 'product:read', { aud: ['billing'] }))).status).toBe(403);
  });

  it('answers 503 with a clear code and stores nothing while usage-tracking or auth is down', async () => {
    const user = await token('user-5');
    const before = await counts();
    await usage.stop();
    try {
      const created = await call('POST', '/invoices', user, { period: '2026-10' });
      expect(created.status).toBe(503);
      expect(await created.json()).toMatchObject({ statusCode: 503, code: 'usage_tracking_unavailable', requestId: expect.any(String) });
    } finally {
      await usage.start();
    }
    await auth.stop();
    try {
      const preview = await call('GET', '/invoices/preview?period=2026-10', user);
      expect(preview.status).toBe(503);
      expect(await preview.json()).toMatchObject({ statusCode: 503, code: 'auth_unavailable' });
    } finally {
      await auth.start();
    }
    expect(await counts()).toEqual(before);
    expect((await call('POST', '/invoices', user, { period: '2026-10' })).status).toBe(201);
  });

  it('answers 502 when usage-tracking fails, and 403 when the caller cannot be represented at usage-tracking', async () => {
    const before = await counts();
    const failing = await call('POST', '/invoices', await token('fail-1', USER_SCOPES), { period: '2026-10' });
    expect(failing.status).toBe(502);
    expect(await failing.json()).toMatchObject({ statusCode: 502, error: 'Bad Gateway', code: 'usage_tracking_error' });
    authBehaviour.refuseExchange = true;
    try {
      const refused = await call('GET', '/invoices/preview?period=2026-10', await token('user-1', 'billing:read'));
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ statusCode: 403, code: 'usage_access_not_granted' });
    } finally {
      authBehaviour.refuseExchange = false;
    }
    expect(await counts()).toEqual(before);
  });

  it('creates one invoice when two requests for the same month race', async () => {
    const user = await token('user-6');
    const statuses = await Promise.all([1, 2, 3].map(async () => (await call('POST', '/invoices', user, { period: '2026-08' })).status));
    expect(statuses.sort()).toEqual([201, 409, 409]);
    expect(Number((await billing.dataSource.query("SELECT COUNT(*) AS n FROM invoices WHERE subject = 'user-6'"))[0].n)).toBe(1);
  });
});
