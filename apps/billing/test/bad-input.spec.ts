import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startServiceHarness, type ServiceHarness } from '@sso/service-testing';
import { billingService } from '../src/service.js';

describe('billing refuses bad input', () => {
  let billing: ServiceHarness;
  let bearer: string;

  beforeAll(async () => {
    billing = await startServiceHarness(billingService, {
      audience: ['billing', 'usage-tracking'],
      scope: 'billing:read billing:write billing:admin usage-tracking:read',
      peers: { auth: {}, usage: { metrics: { 'user-1': { 'product.requests': 1 } } } },
    });
    bearer = await billing.userToken('user-1');
  });
  afterAll(async () => {
    await billing?.close();
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
    const { dataSource } = billing;
    const before = await dataSource.query('SELECT (SELECT COUNT(*) FROM invoices) AS invoices, (SELECT COUNT(*) FROM customers) AS customers');
    const usageCalls = billing.usage?.requests.length;
    const response = await fetch(`${billing.url}${path}`, {
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
    expect(billing.usage?.requests.length).toBe(usageCalls);
  });
});
