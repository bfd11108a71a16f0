import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DatabaseKind } from '@sso/service-testing';
import { startSettings, type SettingsHarness } from './settings-harness.js';

describe.each<DatabaseKind>(['SQLite', 'PostgreSQL'])('settings documents on %s', (database) => {
  let settings: SettingsHarness;
  let alice: string;
  let bob: string;
  let portal: string;

  beforeAll(async () => {
    settings = await startSettings(database);
    [alice, bob, portal] = await Promise.all([settings.userToken('alice'), settings.userToken('bob'), settings.serviceToken('portal')]);
  });
  afterAll(() => settings?.close());

  it('creates (201), reads with a strong ETag, replaces with If-Match (200) and refuses a stale ETag (412)', async () => {
    const created = await settings.request('PUT', '/settings/ui.theme', alice, { theme: 'dark', sizes: [1, 2], nested: { a: null } });
    expect(created.status).toBe(201);
    const etag = created.headers.get('etag') as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(await created.json()).toEqual({ theme: 'dark', sizes: [1, 2], nested: { a: null } });

    const read = await settings.request('GET', '/settings/ui.theme', alice);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe(etag);
    expect(await read.json()).toEqual({ theme: 'dark', sizes: [1, 2], nested: { a: null } });
    const unchanged = await settings.request('GET', '/settings/ui.theme', alice, undefined, { 'if-none-match': etag });
    expect(unchanged.status).toBe(304);

    const replaced = await settings.request('PUT', '/settings/ui.theme', alice, { theme: 'light' }, { 'if-match': etag });
    expect(replaced.status).toBe(200);
    const newEtag = replaced.headers.get('etag') as string;
    expect(newEtag).not.toBe(etag);

    const before = await settings.snapshot();
    const stale = await settings.request('PUT', '/settings/ui.theme', alice, { theme: 'blue' }, { 'if-match': etag });
    expect(stale.status).toBe(412);
    expect(await stale.json()).toEqual({ statusCode: 412, error: 'Precondition Failed', message: expect.any(String), code: 'precondition_failed', requestId: expect.any(String) });
    expect(await settings.snapshot()).toBe(before);
    expect(await (await settings.request('GET', '/settings/ui.theme', alice)).json()).toEqual({ theme: 'light' });
  });

  it('answers 428 to a PUT without If-Match on an existing document, and 412 to If-None-Match: * then', async () => {
    expect((await settings.request('PUT', '/settings/editor', alice, { tabs: 2 })).status).toBe(201);
    const before = await settings.snapshot();
    const blind = await settings.request('PUT', '/settings/editor', alice, { tabs: 4 });
    expect(blind.status).toBe(428);
    expect(await blind.json()).toMatchObject({ statusCode: 428, code: 'precondition_required' });
    const createOnly = await settings.request('PUT', '/settings/editor', alice, { tabs: 4 }, { 'if-none-match': '*' });
    expect(createOnly.status).toBe(412);
    expect(await settings.snapshot()).toBe(before);
    expect((await settings.request('PUT', '/settings/fresh', alice, { a: 1 }, { 'if-none-match': '*' })).status).toBe(201);
    const overwrite = await settings.request('PUT', '/settings/editor', alice, { tabs: 8 }, { 'if-match': '*' });
    expect(overwrite.status).toBe(200);
    expect((await settings.request('PUT', '/settings/absent', alice, { a: 1 }, { 'if-match': '*' })).status).toBe(412);
    expect((await settings.request('GET', '/settings/absent', alice)).status).toBe(404);
  });

  it('lets exactly one of two writers holding the same ETag win; the other gets 412', async () => {
    const etag = (await settings.request('PUT', '/settings/race', alice, { writer: 'none' })).headers.get('etag') as string;
    for (let round = 0; round < 5; round += 1) {
      const current = round === 0 ? etag : ((await settings.request('GET', '/settings/race', alice)).headers.get('etag') as string);
      const answers = await Promise.all(['one', 'two'].map((writer) => settings.request('PUT', '/settings/race', alice, { writer, round }, { 'if-match': current })));
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([200, 412]);
      const winner = answers.find((answer) => answer.status === 200);
      const stored = await settings.request('GET', '/settings/race', alice);
      expect(stored.headers.get('etag')).toBe(winner?.headers.get('etag'));
      expect(await stored.json()).toEqual(await winner?.json());
    }
  });

  it('creates a document once when two first writes race with If-None-Match: *', async () => {
    const answers = await Promise.all(['one', 'two'].map((writer) => settings.request('PUT', '/settings/first', alice, { writer }, { 'if-none-match': '*' })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 412]);
  });

  it('lists the caller’s documents by namespace, a page at a time, with the total in X-Total-Count', async () => {
    await Promise.all(['b', 'a', 'c'].map((namespace) => settings.request('PUT', `/settings/${namespace}`, bob, { name: namespace })));
    const all = await settings.request('GET', '/settings', bob);
    expect(all.status).toBe(200);
    expect(all.headers.get('x-total-count')).toBe('3');
    const body = (await all.json()) as Record<string, unknown>;
    expect(body).toEqual({ a: { name: 'a' }, b: { name: 'b' }, c: { name: 'c' } });
    expect(Object.keys(body)).toEqual(['a', 'b', 'c']);
    expect(await (await settings.request('GET', '/settings?offset=1&limit=1', bob)).json()).toEqual({ b: { name: 'b' } });
    expect(await (await settings.request('GET', '/settings', await settings.userToken('nobody'))).json()).toEqual({});
  });

  it('deletes with If-Match only (428 without, 412 when stale), and 404 afterwards', async () => {
    const etag = (await settings.request('PUT', '/settings/doomed', alice, { x: 1 })).headers.get('etag') as string;
    expect((await settings.request('DELETE', '/settings/doomed', alice)).status).toBe(428);
    expect((await settings.request('DELETE', '/settings/doomed', alice, undefined, { 'if-match': '"stale"' })).status).toBe(412);
    expect((await settings.request('DELETE', '/settings/doomed', alice, undefined, { 'if-match': etag })).status).toBe(204);
    expect((await settings.request('GET', '/settings/doomed', alice)).status).toBe(404);
    const again = await settings.request('PUT', '/settings/doomed', alice, { x: 2 }, { 'if-match': etag });
    expect(again.status).toBe(412);
  });

  it('keeps users to their own settings (403 not_owner); a service or settings:admin may address any subject', async () => {
    await settings.request('PUT', '/settings/private', alice, { secret: 'alice' });
    const before = await settings.snapshot();
    for (const [method, path, body] of [
      ['GET', '/settings?subject=alice', undefined],
      ['GET', '/settings/private?subject=alice', undefined],
      ['PUT', '/settings/private?subject=alice', { secret: 'bob' }],
      ['DELETE', '/settings/private?subject=alice', undefined],
    ] as const) {
      const answer = await settings.request(method, path, bob, body, { 'if-match': '*' });
      expect(answer.status).toBe(403);
      expect(await answer.json()).toMatchObject({ statusCode: 403, error: 'Forbidden', code: 'not_owner', requestId: expect.any(String) });
    }
    expect(await settings.snapshot()).toBe(before);
    expect((await settings.request('GET', '/settings/private', bob)).status).toBe(404);

    const read = await settings.request('GET', '/settings/private?subject=alice', portal);
    expect(await read.json()).toEqual({ secret: 'alice' });
    const written = await settings.request('PUT', '/settings/private?subject=alice', portal, { secret: 'rotated' }, { 'if-match': read.headers.get('etag') as string });
    expect(written.status).toBe(200);
    const admin = await settings.userToken('root', 'settings:read settings:write settings:admin');
    expect(await (await settings.request('GET', '/settings?subject=alice', admin)).json()).toMatchObject({ private: { secret: 'rotated' } });
    expect(await (await settings.request('GET', '/settings/private', alice)).json()).toEqual({ secret: 'rotated' });
  });

  it('asks for a token (401) and for the route’s scope (403 insufficient_scope)', async () => {
    const anonymous = await settings.request('GET', '/settings');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(await anonymous.json()).toMatchObject({ statusCode: 401, code: 'missing_token' });
    const before = await settings.snapshot();
    const reader = await settings.userToken('alice', 'settings:read');
    const write = await settings.request('PUT', '/settings/ui.theme', reader, { theme: 'x' }, { 'if-match': '*' });
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="settings:write"');
    expect(await write.json()).toMatchObject({ statusCode: 403, code: 'insufficient_scope' });
    expect(await settings.snapshot()).toBe(before);
    const writer = await settings.userToken('alice', 'settings:write');
    const read = await settings.request('GET', '/settings/ui.theme', writer);
    expect(read.status).toBe(403);
    expect(read.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="settings:read"');
  });
});
