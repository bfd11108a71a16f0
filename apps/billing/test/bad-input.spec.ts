import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@sso/platform';
import { captureLogs, createTestEnv, listenOnLoopback, sparePort, TestIssuer, type TestEnv, authStandIn, usageStandIn } from '@sso/testing';
import { DataSource } from 'typeorm';
import { billingService } from '../src/service.js';

describe('billing refuses bad input', () => {
  const issuer = new TestIssuer();
  let auth: ReturnType<typeof authStandIn>;
  let usage: ReturnType<typeof usageStandIn>;
  let testEnv: TestEnv;
  let app: INestApplication;
  let url: string;
  let bearer: string;

  beforeAll(async () => {
    await issuer.start();
    await issuer.addKey();
    auth = await authStandIn(await sparePort(), issuer).start();
    usage = await usageStandIn(await sparePort(), { 'user-1': { 'product.requests': 1 } }).start();
    testEnv = createTestEnv({ AUTH_ISSUER: auth.url, AUTH_JWKS_URI: `${issuer.url}/.well-known/jwks.json`, USAGE_TRACKING_URL: usage.url, AUTH_CLIENT_ID: 'billing', AUTH_CLIENT_SECRET: 'secret' });
    const config = billingService.loadConfig(testEnv.env);
    ({ app } = await createServiceApp({ module: billingService.module(config), config, description: billingService.description, logDestination: captureLogs().destination }));
    url = await listenOnLoopback(app);
    bearer = await issuer.sign({ iss: auth.url, sub: 'user-1', aud: ['billing', 'usage-tracking'], scope: 'billing:read billing:write billing:admin usage-tracking:read' });
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([auth?.stop(), usage?.stop(), issuer.close()]);
    testEnv?.cleanup();
  });

  const huge = JSON.stringify({ period: '2026-10', subject: 'x'.repeat(200_000) });
  it.each([
    ['POST', '/invoices', { period: '2026-13' }, 400, /period must be YYYY-MM/],
    ['POST', '/invoices', { period: '2026-1' }, 400, /period must be YYYY-MM/],
    ['POST', '/invoices', { period: 202610 }, 400, /period must be a string/],
    ['POST', '/invoices', {}, 400, /period must be YYYY-MM/],
    ['POST', '/invoices', { period: '2026-10', subject: 42 }, 400, /subject must be a string/],
    ['POST', '/invoices', { period: '2026-10', subject: 'a b' }, 400, /subject must be 1 to 255 printable ASCII/],
    ['POST', '/invoices', { period: '2026-10', total: 0 }, 400, /property total should not exist/],
    ['POST', '/invoices', '{"period": ', 400, /JSON/],
    ['POST', '/invoices', huge, 413, /too large/i],
    ['GET', '/invoices/not-a-uuid', undefined, 400, /id must be a UUID/],
    ['GET', '/invoices?limit=0', undefined, 400, /limit must not be less than 1/],
    ['GET', '/invoices?limit=100000', undefined, 400, /limit must not be greater than 200/],
    ['GET', '/invoices?offset=-1', undefined, 400, /offset must not be less than 0/],
    ['GET', '/invoices?offset=abc', undefined, 400, /offset must be an integer/],
    ['GET', '/invoices?page=2', undefined, 400, /property page should not exist/],
    ['GET', '/invoices?period=last', undefined, 400, /period must be YYYY-MM/],
    ['GET', '/invoices/preview', undefined, 400, /period must be YYYY-MM/],
    ['GET', '/invoices/preview?period=2026-00', undefined, 400, /period must be YYYY-MM/],
  ])('case %#: %s %s answers %i with the contract error body and changes nothing', async (method, path, body, status, reason) => {
    const dataSource = app.get(DataSource);
    const before = await dataSource.query('SELECT (SELECT COUNT(*) FROM invoices) AS invoices, (SELECT COUNT(*) FROM customers) AS customers');
    const usageCalls = usage.requests.length;
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}`, 'x-request-id': 'bad-input-1' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    expect(response.status).toBe(status);
    const answer = (await response.json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ statusCode: status, error: expect.any(String), requestId: 'bad-input-1' });
    // Body-parser refusals (bad JSON, too large) come from the platform without a code.
    if (status === 400 && !reason.source.includes('JSON')) expect(answer.code).toBe('validation_failed');
    expect(JSON.stringify(answer.message)).toMatch(reason);
    expect(JSON.stringify(answer)).not.toMatch(/\bat \S+:\d+/);
    expect(await dataSource.query('SELECT (SELECT COUNT(*) FROM invoices) AS invoices, (SELECT COUNT(*) FROM customers) AS customers')).toEqual(before);
    expect(usage.requests.length).toBe(usageCalls);
  });
});
