import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@sso/testing';
import { startEcosystem, type Ecosystem } from './ecosystem.js';

const RESOURCE_SERVICES = ['billing', 'usage-tracking', 'settings', 'product'] as const;
const PRICE_PER_REQUEST = 2;

interface Tokens {
  access_token: string;
  refresh_token: string;
}

describe('the ecosystem, end to end', () => {
  let eco: Ecosystem;
  let admin: string;
  let alice: { id: string };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const call = (service: string, path: string, token: string, init: RequestInit = {}) =>
    fetch(`${eco.urls[service]}${path}`, { ...init, headers: { 'content-type': 'application/json', ...bearer(token), ...(init.headers as Record<string, string>) } });
  const login = async (username: string, password: string, scope?: string) => {
    const response = await fetch(`${eco.urls.auth}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password, ...(scope ? { scope } : {}) }) });
    expect(response.status).toBe(200);
    return (await response.json()) as Tokens;
  };
  /** One read per resource service, as the user would make it. */
  const readEverywhere = (token: string) =>
    Promise.all([
      call('billing', '/invoices', token),
      call('usage-tracking', `/usage/summary?from=${month().from}&to=${month().to}`, token),
      call('settings', '/settings', token),
      call('product', '/products', token),
    ]).then((responses) =>
      responses.map((response) => response.status),
    );
  const month = () => {
    const now = new Date();
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    return { period: from.toISOString().slice(0, 7), from: from.toISOString(), to: to.toISOString() };
  };
  const productRequestsOf = async (subject: string) => {
    const { from, to } = month();
    const response = await call('usage-tracking', `/usage/summary?subject=${subject}&from=${from}&to=${to}`, admin);
    const summary = (await response.json()) as { metrics: Record<string, number> };
    return summary.metrics['product.requests'] ?? 0;
  };

  /** The count once the product outbox has nothing more in flight for this subject. */
  const settledProductRequestsOf = async (subject: string) => {
    let previous = -1;
    let current = await productRequestsOf(subject);
    while (current !== previous) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      [previous, current] = [current, await productRequestsOf(subject)];
    }
    return current;
  };

  beforeAll(async () => {
    eco = await startEcosystem({ BILLING_PRICES: JSON.stringify({ 'product.requests': PRICE_PER_REQUEST }), BILLING_CURRENCY: 'EUR' });
    admin = (await login('admin', eco.adminPassword)).access_token;
    const created = await call('auth', '/admin/users', admin, {
      method: 'POST',
      body: JSON.stringify({ username: 'alice', password: 'alice-password-1', scopes: ['billing:read', 'billing:write', 'usage-tracking:read', 'settings:read', 'settings:write', 'product:read'] }),
    });
    expect(created.status).toBe(201);
    alice = (await created.json()) as { id: string };
  }, 120_000);
  afterAll(() => eco?.close(), 60_000);

  it('lets one login use the same token at all four services', async () => {
    const { access_token } = await login('alice', 'alice-password-1');
    expect(await readEverywhere(access_token)).toEqual([200, 200, 200, 200]);
  });

  it('refuses a missing scope with 403 and a token for another audience with 401', async () => {
    const { access_token } = await login('alice', 'alice-password-1');
    const write = await call('product', '/products', access_token, { method: 'POST', body: JSON.stringify({ name: 'Lamp', description: 'A desk lamp', price: 2500, currency: 'EUR' }) });
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    const settingsOnly = await login('alice', 'alice-password-1', 'settings:read');
    const elsewhere = await call('billing', '/invoices', settingsOnly.access_token);
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('refuses a token at all four services once its session has logged out', async () => {
    const { access_token } = await login('alice', 'alice-password-1');
    expect(await readEverywhere(access_token)).toEqual([200, 200, 200, 200]);
    expect((await fetch(`${eco.urls.auth}/auth/logout`, { method: 'POST', headers: bearer(access_token) })).status).toBe(204);
    await waitFor(async () => (await readEverywhere(access_token)).every((status) => status === 401), 'the logout to reach every service', 2_000, 20);
  });

  it("revokes all of a user's sessions everywhere", async () => {
    const sessions = [await login('alice', 'alice-password-1'), await login('alice', 'alice-password-1')];
    expect((await call('auth', `/admin/users/${alice.id}/revoke`, admin, { method: 'POST' })).status).toBe(204);
    for (const { access_token } of sessions) {
      await waitFor(async () => (await readEverywhere(access_token)).every((status) => status === 401), 'the revocation to reach every service', 2_000, 20);
    }
    const again = await login('alice', 'alice-password-1');
    expect(await readEverywhere(again.access_token)).toEqual([200, 200, 200, 200]);
  });

  it('bills a user for the product requests it made', async () => {
    const { access_token } = await login('alice', 'alice-password-1');
    const before = await productRequestsOf(alice.id);
    for (let index = 0; index < 5; index++) expect((await call('product', `/products?query=lamp&page=1&limit=5`, access_token)).status).toBe(200);
    await waitFor(async () => (await productRequestsOf(alice.id)) >= before + 5, 'product requests to reach usage-tracking', 20_000, 100);
    const requests = await productRequestsOf(alice.id);
    const invoice = await call('billing', '/invoices', access_token, { method: 'POST', body: JSON.stringify({ period: month().period }) });
    expect(invoice.status).toBe(201);
    const body = (await invoice.json()) as { subject: string; lines: Array<{ metric: string; quantity: number; unitPrice: number; amount: number }>; total: number; currency: string };
    expect(body.subject).toBe(alice.id);
    expect(body.currency).toBe('EUR');
    // The invoice was computed while this request was itself being counted: bill what was counted then.
    const line = body.lines.find((candidate) => candidate.metric === 'product.requests')!;
    expect(line.quantity).toBeGreaterThanOrEqual(requests);
    expect(line).toMatchObject({ unitPrice: PRICE_PER_REQUEST, amount: line.quantity * PRICE_PER_REQUEST });
    expect(body.total).toBe(body.lines.reduce((sum, candidate) => sum + candidate.amount, 0));
  });

  it('keeps serving while usage-tracking is down, and delivers every product request exactly once when it returns', async () => {
    const { access_token } = await login('alice', 'alice-password-1');
    const before = await settledProductRequestsOf(alice.id);
    await eco.stop('usage-tracking');
    const statuses: number[] = [];
    for (let index = 0; index < 200; index++) statuses.push((await call('product', '/products?page=1&limit=1', access_token)).status);
    expect(statuses.every((status) => status === 200)).toBe(true);
    await eco.start('usage-tracking');
    await waitFor(async () => (await productRequestsOf(alice.id)) >= before + 200, '200 product requests to arrive', 60_000, 250);
    // Nothing more trickles in: exactly 200, no duplicates.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await productRequestsOf(alice.id)).toBe(before + 200);
  });

  it('makes on-behalf-of calls: usage-tracking sees the user as subject and billing as actor', async () => {
    const { access_token } = await login('alice', 'alice-password-1');
    const preview = await call('billing', `/invoices/preview?period=${month().period}`, access_token);
    expect(preview.status).toBe(200);
    expect(await preview.json()).toMatchObject({ subject: alice.id });
    // The exchanged token auth issued for that call: alice as subject, billing's client as actor.
    const events = (await (await call('auth', `/admin/audit-events?type=token.issued&subject=${alice.id}`, admin)).json()) as { items: Array<{ actor: string; details: { grant: string } }> };
    const exchange = events.items.find((event) => event.details.grant === 'token-exchange');
    expect(exchange?.actor).toMatch(/^client_/);
    const clients = (await (await call('auth', '/admin/clients', admin)).json()) as { items: Array<{ client_id: string; name: string }> };
    expect(clients.items.find((client) => client.client_id === exchange?.actor)?.name).toBe('billing');
  });

  it.each(RESOURCE_SERVICES.map((service) => [service]))('%s is still healthy after the story', async (service) => {
    expect((await fetch(`${eco.urls[service]}/health/ready`)).status).toBe(200);
  });
});
