import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { currentMonth } from '../src/usage/usage.controller.js';
import type { DatabaseKind } from '@sso/service-testing';
import { expectPagedCollection } from '@sso/testing';
import { json, startUsageTracking, type EventPage, type Recorded, type Summary, type UsageHarness } from './usage-harness.js';

const event = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  subject: 'alice',
  service: 'product',
  metric: 'requests',
  quantity: 1,
  occurredAt: '2026-11-10T12:00:00Z',
  ...overrides,
});

describe('currentMonth', () => {
  it('is [the first instant of the month, the first of the next) in UTC, across a year end', () => {
    expect(currentMonth(new Date('2026-12-31T23:30:00-05:00'))).toEqual({ from: new Date('2027-01-01T00:00:00Z'), to: new Date('2027-02-01T00:00:00Z') });
    expect(currentMonth(new Date('2026-12-01T00:00:00Z'))).toEqual({ from: new Date('2026-12-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') });
  });
});

describe.each<DatabaseKind>(['SQLite', 'PostgreSQL'])('usage events on %s', (database) => {
  let usage: UsageHarness;
  let alice: string;
  let bob: string;
  let billing: string;

  beforeAll(async () => {
    usage = await startUsageTracking(database);
    [alice, bob, billing] = await Promise.all([usage.userToken('alice'), usage.userToken('bob'), usage.serviceToken('billing')]);
  });
  afterAll(() => usage?.close());

  it('records one event or a batch (202), counts a repeated id once, and sums per service.metric over [from, to)', async () => {
    const single = await usage.request('POST', '/usage/events', billing, event({ subject: 'carol', quantity: 5 }));
    expect(single.status).toBe(202);
    expect(await single.json()).toEqual({ accepted: 1, duplicates: 0 });

    const repeated = event({ subject: 'carol', quantity: 7, occurredAt: '2026-11-30T23:59:59.999Z' });
    const batch = [
      repeated,
      repeated,
      event({ subject: 'carol', service: 'billing', metric: 'invoices', quantity: 2, occurredAt: '2026-11-01' }),
      event({ subject: 'carol', quantity: 1000, occurredAt: '2026-12-01T00:00:00Z' }),
      event({ subject: 'carol', quantity: 1000, occurredAt: '2026-10-31T23:59:59+00:00' }),
      event({ subject: 'dave', quantity: 3 }),
    ];
    const recorded = await usage.request('POST', '/usage/events', billing, batch);
    expect(recorded.status).toBe(202);
    expect(await recorded.json()).toEqual({ accepted: 5, duplicates: 1 });
    const again = await usage.request('POST', '/usage/events', billing, batch);
    expect(await again.json()).toEqual({ accepted: 0, duplicates: 6 });

    const summary = await usage.request('GET', '/usage/summary?subject=carol&from=2026-11-01&to=2026-12-01', billing);
    expect(summary.status).toBe(200);
    expect(await summary.json()).toEqual({
      subject: 'carol',
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
      metrics: { 'billing.invoices': 2, 'product.requests': 12 },
    });
    const offset = await usage.request('GET', `/usage/summary?subject=carol&from=${encodeURIComponent('2026-11-01T01:00:00+01:00')}&to=2026-11-02`, billing);
    expect((await json<Summary>(offset)).metrics).toEqual({ 'billing.invoices': 2 });
    const empty = await usage.request('GET', '/usage/summary?subject=nobody&from=2026-11-01&to=2026-12-01', billing);
    expect((await json<Summary>(empty)).metrics).toEqual({});
  });

  it('summarises the current calendar month (UTC) when asked for no period', async () => {
    const { from, to } = currentMonth(new Date());
    await usage.request('POST', '/usage/events', billing, [
      event({ subject: 'dora', quantity: 3, occurredAt: from.toISOString() }),
      event({ subject: 'dora', quantity: 4, occurredAt: new Date().toISOString() }),
      event({ subject: 'dora', quantity: 1000, occurredAt: new Date(from.getTime() - 1).toISOString() }),
    ]);
    const summary = await usage.request('GET', '/usage/summary?subject=dora', billing);
    expect(summary.status).toBe(200);
    expect(await summary.json()).toEqual({ subject: 'dora', from: from.toISOString(), to: to.toISOString(), metrics: { 'product.requests': 7 } });
  });

  it('lists a subject’s events oldest first, a page at a time, within [from, to)', async () => {
    const ids = ['p-1', 'p-2', 'p-3', 'p-4', 'p-5'];
    await usage.request('POST', '/usage/events', billing, ids.map((id, day) => event({ id, subject: 'erin', occurredAt: `2026-11-0${day + 1}T08:00:00Z` })));
    const first = await usage.request('GET', '/usage/events?subject=erin&limit=2', billing);
    expect(first.status).toBe(200);
    const page = await json<EventPage>(first);
    expect(page).toMatchObject({ total: 5, offset: 0, limit: 2 });
    expect(page.items).toEqual([
      { id: 'p-1', subject: 'erin', service: 'product', metric: 'requests', quantity: 1, occurredAt: '2026-11-01T08:00:00.000Z', receivedAt: expect.any(String) },
      expect.objectContaining({ id: 'p-2', occurredAt: '2026-11-02T08:00:00.000Z' }),
    ]);
    const last = await json<EventPage>(usage.request('GET', '/usage/events?subject=erin&offset=4&limit=2', billing));
    expect(last.items.map((item) => item.id)).toEqual(['p-5']);
    const window = await json<EventPage>(usage.request('GET', '/usage/events?subject=erin&from=2026-11-02&to=2026-11-04', billing));
    expect(window.items.map((item) => item.id)).toEqual(['p-2', 'p-3']);
    expect(window.total).toBe(2);
    await expectPagedCollection(usage.url, '/usage/events?subject=erin', { authorization: `Bearer ${billing}` });
  });

  it('counts one event delivered 10 times concurrently exactly once: one row, the quantity once in the summary', async () => {
    const before = await usage.rows();
    const once = event({ subject: 'frank', quantity: 42 });
    const answers = await Promise.all(Array.from({ length: 10 }, () => usage.request('POST', '/usage/events', billing, once)));
    const bodies = await Promise.all(answers.map((answer) => json<Recorded>(answer)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(202));
    expect(bodies.reduce((sum, body) => sum + body.accepted, 0)).toBe(1);
    expect(bodies.reduce((sum, body) => sum + body.duplicates, 0)).toBe(9);
    expect(await usage.rows()).toBe(before + 1);
    const summary = await json<Summary>(usage.request('GET', '/usage/summary?subject=frank&from=2026-11-01&to=2026-12-01', billing));
    expect(summary.metrics).toEqual({ 'product.requests': 42 });
  });

  it('counts overlapping batches delivered concurrently once each, without deadlock', async () => {
    const events = Array.from({ length: 40 }, (_, index) => event({ subject: `grace-${index % 4}` }));
    const before = await usage.rows();
    const batches = [events, [...events].reverse(), events.slice(10, 30), [...events.slice(20), ...events.slice(0, 20)]];
    const bodies = await Promise.all(batches.map((batch) => json<Recorded>(usage.request('POST', '/usage/events', billing, batch))));
    expect(bodies.reduce((sum, body) => sum + body.accepted, 0)).toBe(40);
    expect(await usage.rows()).toBe(before + 40);
  });

  it('lets a user record and read only its own usage (403 not_owner otherwise); a service or an admin acts on anyone', async () => {
    const own = await usage.request('POST', '/usage/events', alice, event({ subject: 'alice', quantity: 3 }));
    expect(own.status).toBe(202);
    const before = await usage.rows();
    const foreign = await usage.request('POST', '/usage/events', alice, [event({ subject: 'alice' }), event({ subject: 'bob' })]);
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ statusCode: 403, error: 'Forbidden', code: 'not_owner', requestId: expect.any(String) });
    expect(await usage.rows()).toBe(before);

    const mine = await usage.request('GET', '/usage/summary?from=2026-11-01&to=2026-12-01', alice);
    expect(await mine.json()).toMatchObject({ subject: 'alice', metrics: { 'product.requests': 3 } });
    for (const path of ['/usage/summary?subject=alice&from=2026-11-01&to=2026-12-01', '/usage/events?subject=alice']) {
      const answer = await usage.request('GET', path, bob);
      expect(answer.status).toBe(403);
      expect(await answer.json()).toMatchObject({ code: 'not_owner' });
      expect((await usage.request('GET', path, billing)).status).toBe(200);
    }
    const bobsOwn = await (await usage.request('GET', '/usage/events', bob)).json();
    expect(bobsOwn).toMatchObject({ items: [], total: 0 });

    const admin = await usage.userToken('root', 'usage-tracking:read usage-tracking:write usage-tracking:admin');
    expect(await (await usage.request('GET', '/usage/summary?subject=alice&from=2026-11-01&to=2026-12-01', admin)).json()).toMatchObject({ metrics: { 'product.requests': 3 } });
    expect((await usage.request('POST', '/usage/events', admin, event({ subject: 'alice' }))).status).toBe(202);
  });

  it('asks for a token (401) and for the route’s scope (403 insufficient_scope)', async () => {
    const anonymous = await usage.request('POST', '/usage/events', undefined, event());
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(await anonymous.json()).toMatchObject({ statusCode: 401, code: 'missing_token', requestId: expect.any(String) });

    const before = await usage.rows();
    const reader = await usage.userToken('alice', 'usage-tracking:read');
    const write = await usage.request('POST', '/usage/events', reader, event({ subject: 'alice' }));
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="usage-tracking:write"');
    expect(await write.json()).toMatchObject({ statusCode: 403, code: 'insufficient_scope' });
    expect(await usage.rows()).toBe(before);

    const writer = await usage.serviceToken('product', 'usage-tracking:write');
    const read = await usage.request('GET', '/usage/summary?from=2026-11-01&to=2026-12-01', writer);
    expect(read.status).toBe(403);
    expect(read.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="usage-tracking:read"');
  });
});
