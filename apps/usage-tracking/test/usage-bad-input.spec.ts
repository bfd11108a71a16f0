import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { json, startUsageTracking, type EventPage, type UsageHarness } from './usage-harness.js';

const good = { id: 'evt-1', subject: 'alice', service: 'product', metric: 'requests', quantity: 1, occurredAt: '2026-11-10T12:00:00Z' };
const small = { id: 'e', subject: 'a', service: 'p', metric: 'r', quantity: 1, occurredAt: '2026-11-10' };

describe('usage-tracking refuses bad input and changes nothing', () => {
  let usage: UsageHarness;
  let token: string;

  beforeAll(async () => {
    usage = await startUsageTracking('SQLite');
    token = await usage.serviceToken('billing');
    expect((await usage.request('POST', '/usage/events', token, { ...good, id: 'already-there' })).status).toBe(202);
  });
  afterAll(() => usage?.close());

  it.each<[string, string, string, unknown, number, RegExp, string]>([
    ['a wrong type for quantity', 'POST', '/usage/events', { ...good, quantity: '5' }, 400, /quantity must be an integer number/, 'validation_failed'],
    ['a fractional quantity', 'POST', '/usage/events', { ...good, quantity: 1.5 }, 400, /quantity must be an integer number/, 'validation_failed'],
    ['a zero quantity', 'POST', '/usage/events', { ...good, quantity: 0 }, 400, /quantity must not be less than 1/, 'validation_failed'],
    ['a quantity beyond the bound', 'POST', '/usage/events', { ...good, quantity: 1e12 }, 400, /quantity must not be greater than 1000000000/, 'validation_failed'],
    ['an unknown field', 'POST', '/usage/events', { ...good, price: 3 }, 400, /property price should not exist/, 'validation_failed'],
    ['a missing field', 'POST', '/usage/events', { ...good, metric: undefined }, 400, /metric must be a lower-case identifier/, 'validation_failed'],
    ['an id with a space', 'POST', '/usage/events', { ...good, id: 'evt 1' }, 400, /id must be 1 to 128 of/, 'validation_failed'],
    ['an id of 129 characters', 'POST', '/usage/events', { ...good, id: 'x'.repeat(129) }, 400, /id must be 1 to 128 of/, 'validation_failed'],
    ['an upper-case service', 'POST', '/usage/events', { ...good, service: 'Product' }, 400, /service must be a lower-case identifier/, 'validation_failed'],
    ['a dotted metric', 'POST', '/usage/events', { ...good, metric: 'api.calls' }, 400, /metric must be a lower-case identifier/, 'validation_failed'],
    ['a subject with a space', 'POST', '/usage/events', { ...good, subject: 'al ice' }, 400, /subject must be 1 to 255 printable/, 'validation_failed'],
    ['a local time without offset', 'POST', '/usage/events', { ...good, occurredAt: '2026-11-10T12:00:00' }, 400, /occurredAt must be an ISO 8601 date/, 'validation_failed'],
    ['an impossible date', 'POST', '/usage/events', { ...good, occurredAt: '2026-02-30T00:00:00Z' }, 400, /occurredAt must be a valid calendar date/, 'validation_failed'],
    ['a date as a number', 'POST', '/usage/events', { ...good, occurredAt: 1764288000000 }, 400, /occurredAt must be a string/, 'validation_failed'],
    ['one bad item in a batch', 'POST', '/usage/events', [{ ...good, id: 'ok-1' }, { ...good, id: 'ok-2', quantity: -1 }], 400, /\[1\]\.quantity must not be less than 1/, 'validation_failed'],
    ['a scalar in a batch', 'POST', '/usage/events', [{ ...good, id: 'ok-3' }, 'event'], 400, /\[1\] must be an event object/, 'validation_failed'],
    ['an empty batch', 'POST', '/usage/events', [], 400, /non-empty array/, 'validation_failed'],
    ['more than 1,000 events', 'POST', '/usage/events', Array(1001).fill(small), 400, /at most 1000 events per request/, 'validation_failed'],
    ['a body over 100 kB', 'POST', '/usage/events', Array(1000).fill({ ...good, id: 'x'.repeat(128) }), 413, /too large/i, 'entity.too.large'],
    ['malformed JSON', 'POST', '/usage/events', '{"id": ', 400, /JSON/, 'entity.parse.failed'],
    ['no body at all', 'POST', '/usage/events', undefined, 400, /the body must be an event object/, 'validation_failed'],
    ['a summary with from but no to', 'GET', '/usage/summary?from=2026-11-01', undefined, 400, /from and to go together/, 'validation_failed'],
    ['a summary with to but no from', 'GET', '/usage/summary?to=2026-11-01', undefined, 400, /from and to go together/, 'validation_failed'],
    ['a summary with from after to', 'GET', '/usage/summary?from=2026-12-01&to=2026-11-01', undefined, 400, /from must be before to/, 'invalid_period'],
    ['a summary with an empty period', 'GET', '/usage/summary?from=2026-11-01&to=2026-11-01', undefined, 400, /from must be before to/, 'invalid_period'],
    ['a summary with a word for a date', 'GET', '/usage/summary?from=yesterday&to=2026-11-01', undefined, 400, /from must be an ISO 8601 date/, 'validation_failed'],
    ['a summary with an unknown parameter', 'GET', '/usage/summary?from=2026-11-01&to=2026-12-01&metric=x', undefined, 400, /property metric should not exist/, 'validation_failed'],
    ['a summary with a repeated subject', 'GET', '/usage/summary?subject=a&subject=b&from=2026-11-01&to=2026-12-01', undefined, 400, /subject must be a string/, 'validation_failed'],
    ['a list with a huge limit', 'GET', '/usage/events?limit=100000', undefined, 400, /limit must not be greater than 200/, 'validation_failed'],
    ['a list with a negative offset', 'GET', '/usage/events?offset=-1', undefined, 400, /offset must not be less than 0/, 'validation_failed'],
  ])('%s (%s %s) is refused with the contract error body and nothing stored', async (_name, method, path, body, status, reason, code) => {
    const before = await usage.rows();
    const response = await usage.request(method, path, token, body);
    expect(response.status).toBe(status);
    const answer = (await response.json()) as Record<string, unknown>;
    // Malformed and oversized bodies are refused by the platform's body parser, which sets no code ('').
    expect(answer).toEqual({ statusCode: status, error: expect.any(String), message: expect.anything(), requestId: expect.any(String), ...(code ? { code } : {}) });
    expect(JSON.stringify(answer.message)).toMatch(reason);
    expect(await usage.rows()).toBe(before);
  });

  it('does not let a bad item slip an earlier good one into the database', async () => {
    const list = await json<EventPage>(usage.request('GET', '/usage/events?subject=alice', token));
    expect(list.items.map((item) => item.id)).toEqual(['already-there']);
  });
});
