import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@sso/platform';
import { captureLogs, createTestDatabase, createTestEnv, listenOnLoopback, sparePort, TestIssuer, waitFor, type TestDatabase, type TestEnv, authStandIn, usageStandIn } from '@sso/testing';
import { DataSource } from 'typeorm';
import { OutboxService } from '../src/outbox/outbox.service.js';
import { productService } from '../src/service.js';

describe.each([['SQLite'], ['PostgreSQL']])('the usage outbox on %s', (database) => {
  const issuer = new TestIssuer();
  let auth: ReturnType<typeof authStandIn>;
  let usage: ReturnType<typeof usageStandIn>;
  let testEnv: TestEnv;
  let db: TestDatabase | undefined;

  const boot = async () => {
    const config = productService.loadConfig(testEnv.env);
    const logs = captureLogs();
    const { app } = await createServiceApp({ module: productService.module(config), config, description: productService.description, logDestination: logs.destination });
    return { app, url: await listenOnLoopback(app), logs };
  };
  const outboxCounts = async (app: INestApplication) => {
    const [row] = await app.get(DataSource).query('SELECT COUNT(*) AS stored, SUM(CASE WHEN "deliveredAt" IS NULL THEN 1 ELSE 0 END) AS waiting FROM outbox');
    return { stored: Number(row.stored), waiting: Number(row.waiting ?? 0) };
  };
  const backlogGauge = async (url: string) => Number(/^product_usage_outbox_backlog\{[^}]*\} (\d+)$/m.exec(await (await fetch(`${url}/metrics`)).text())?.[1]);

  beforeAll(async () => {
    await issuer.start();
    await issuer.addKey();
    auth = await authStandIn(await sparePort(), issuer).start();
    // Reserved but not listening: usage-tracking is down until the test starts it.
    usage = usageStandIn(await sparePort());
    db = database === 'PostgreSQL' ? await createTestDatabase('product_outbox') : undefined;
    // Not the service harness: this test stops product and starts it again on the same data, and starts usage-tracking late.
    testEnv = createTestEnv({
      AUTH_ISSUER: auth.url,
      AUTH_JWKS_URI: `${issuer.url}/.well-known/jwks.json`,
      USAGE_TRACKING_URL: usage.url,
      AUTH_CLIENT_ID: 'product-client',
      AUTH_CLIENT_SECRET: 'product-client-secret',
      OUTBOX_INTERVAL_MS: '50',
      OUTBOX_MAX_BACKOFF_MS: '300',
      ...(db ? { DATABASE_URL: db.url } : {}),
    });
  });
  afterAll(async () => {
    await Promise.all([auth?.stop(), usage?.stop(), issuer.close()]);
    await db?.drop();
    testEnv?.cleanup();
  });

  it('keeps serving while usage-tracking is down, keeps every event across a restart, and delivers each exactly once', async () => {
    const first = await boot();
    const token = await issuer.sign({ iss: auth.url, sub: 'shopper-1', aud: ['product'], scope: 'product:read' });
    const statuses = await Promise.all(Array.from({ length: 200 }, (_, index) => fetch(`${first.url}/products?query=item-${index}`, { headers: { authorization: `Bearer ${token}` } }).then((response) => response.status)));
    expect(statuses.filter((status) => status === 200)).toHaveLength(200);
    await waitFor(async () => (await outboxCounts(first.app)).stored === 200, '200 stored events');
    expect(await outboxCounts(first.app)).toEqual({ stored: 200, waiting: 200 });
    expect(await backlogGauge(first.url)).toBe(200);
    // The deliverer has been failing meanwhile, and said so once.
    await waitFor(() => first.logs.lines.some((line) => String(line.msg).includes('usage events wait in the outbox')), 'the outbox warning');
    expect(usage.events).toHaveLength(0);
    await first.app.close();

    const second = await boot();
    try {
      expect(await outboxCounts(second.app)).toEqual({ stored: 200, waiting: 200 });
      await usage.start();
      await waitFor(async () => (await outboxCounts(second.app)).waiting === 0, 'an empty outbox', 15_000);
      expect(usage.events).toHaveLength(200);
      expect(new Set(usage.events.map((event) => event.id)).size).toBe(200);
      expect(usage.events.every((event) => event.subject === 'shopper-1' && event.service === 'product' && event.metric === 'requests' && event.quantity === 1)).toBe(true);
      // Batches of at most OUTBOX_BATCH_SIZE (100).
      const posts = usage.requests.filter((request) => request.url === '/usage/events');
      expect(posts.every((request) => (JSON.parse(request.body) as unknown[]).length <= 100)).toBe(true);
      expect(await backlogGauge(second.url)).toBe(0);
      expect(await (await fetch(`${second.url}/metrics`)).text()).toMatch(/^product_usage_events_delivered_total\{[^}]*\} 200$/m);
    } finally {
      await second.app.close();
    }
  });

  it('two replicas delivering from one database may send an event twice, which usage-tracking counts once; pruning keeps undelivered events', async () => {
    const [one, two] = [await boot(), await boot()];
    try {
      const token = await issuer.sign({ iss: auth.url, sub: 'shopper-2', aud: ['product'], scope: 'product:read' });
      await Promise.all(Array.from({ length: 100 }, (_, index) => fetch(`${(index % 2 ? one : two).url}/products`, { headers: { authorization: `Bearer ${token}` } })));
      await waitFor(async () => (await outboxCounts(one.app)).stored === 300 && (await outboxCounts(one.app)).waiting === 0, 'both replicas to drain the outbox', 15_000);
      const stored: Array<{ id: string }> = await one.app.get(DataSource).query('SELECT id FROM outbox');
      const received = new Set(usage.events.map((event) => event.id));
      expect(stored.every(({ id }) => received.has(id))).toBe(true);
      expect(received.size).toBe(300);

      await usage.stop();
      expect((await fetch(`${one.url}/products`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      await waitFor(async () => (await outboxCounts(one.app)).waiting === 1, 'one waiting event');
      expect(await one.app.get(OutboxService).pruneDelivered(new Date(Date.now() + 1_000))).toBe(300);
      expect(await outboxCounts(one.app)).toEqual({ stored: 1, waiting: 1 });
    } finally {
      await Promise.all([one.app.close(), two.app.close()]);
    }
  });
});
