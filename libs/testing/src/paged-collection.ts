import { expect } from '@jest/globals';

/**
 * What every collection answers (CONTRACT.md, "Collections"): `offset` and `limit` (1 to 200,
 * 50 by default) with `{ items, total, offset, limit }`, the same 400s for the same mistakes,
 * and an OpenAPI entry that says so. `path` may carry the list's own filters.
 */
export async function expectPagedCollection(baseUrl: string, path: string, headers: Record<string, string>): Promise<void> {
  const at = (query: string) => `${baseUrl}${path}${path.includes('?') ? '&' : '?'}${query}`;
  const first = await fetch(`${baseUrl}${path}`, { headers });
  expect(first.status).toBe(200);
  const page = (await first.json()) as Record<string, unknown>;
  expect(Object.keys(page).filter((key) => !['items', 'total', 'offset', 'limit'].includes(key))).toEqual([]);
  expect(page).toMatchObject({ items: expect.any(Array), total: expect.any(Number), offset: 0, limit: 50 });

  const second = (await (await fetch(at('offset=1&limit=1'), { headers })).json()) as { items: unknown[]; total: number; offset: number; limit: number };
  expect(second).toMatchObject({ total: page.total, offset: 1, limit: 1 });
  expect(second.items.length).toBe(Math.min(1, Math.max(0, (page.total as number) - 1)));

  for (const [query, reason] of [
    ['limit=0', /limit must not be less than 1/],
    ['limit=201', /limit must not be greater than 200/],
    ['offset=-1', /offset must not be less than 0/],
    ['offset=abc', /offset must be an integer/],
    ['cursor=abc', /property cursor should not exist/],
  ] as const) {
    const refused = await fetch(at(query), { headers });
    expect({ query, status: refused.status }).toEqual({ query, status: 400 });
    const body = (await refused.json()) as { code?: string; message: unknown };
    expect(body.code).toBe('validation_failed');
    expect(JSON.stringify(body.message)).toMatch(reason);
  }

  const document = (await (await fetch(`${baseUrl}/docs-json`)).json()) as { info: { description: string }; paths: Record<string, { get?: { responses: Record<string, { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> }> } }> };
  expect(document.info.description).toMatch(/Collections page one way/);
  const route = path.split('?')[0].replace(/\/$/, '');
  const answer = document.paths[route]?.get?.responses['200']?.content?.['application/json']?.schema;
  expect(Object.keys(answer?.properties ?? {}).sort()).toEqual(['items', 'limit', 'offset', 'total']);
}
