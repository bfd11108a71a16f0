import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { captureLogs, createTestDatabase, createTestEnv, expectServiceBasics, listenOnLoopback, type CapturedLogs, type TestDatabase } from '@sso/testing';
import { DataSource } from 'typeorm';
import { createServiceApp } from '../src/index.js';
import { notesService } from './fixtures/notes-app.js';

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe.each(['sqlite', 'postgres'] as const)('a service on the platform, with %s', (database) => {
  const testEnv = createTestEnv();
  let testDatabase: TestDatabase | undefined;
  let app: INestApplication;
  let url: string;
  let logs: CapturedLogs;

  beforeAll(async () => {
    if (database === 'postgres') testDatabase = await createTestDatabase();
    const config = notesService.loadConfig({ ...testEnv.env, DATABASE_URL: testDatabase?.url });
    logs = captureLogs();
    ({ app } = await createServiceApp({ module: notesService.module(config), config, description: 'notes', logDestination: logs.destination }));
    url = await listenOnLoopback(app);
  });
  afterAll(async () => {
    await app?.close();
    await testDatabase?.drop();
    testEnv.cleanup();
  });

  it('answers the common endpoints', async () => {
    await expectServiceBasics(url, 'notes');
  });

  it('ran its migration at start and stores rows through it', async () => {
    const dataSource = app.get(DataSource);
    expect(dataSource.options.type).toBe(database === 'sqlite' ? 'better-sqlite3' : 'postgres');
    expect(await dataSource.query('SELECT name FROM migrations')).toEqual([{ name: 'CreateNotes1700000000000' }]);
    const created = await fetch(`${url}/notes`, json({ text: 'hello' }));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const read = await fetch(`${url}/notes/${id}`);
    expect(await read.json()).toMatchObject({ id, text: 'hello' });
  });

  it('answers invalid input with 400, the reasons and the request id, and stores nothing', async () => {
    const before = await count(url);
    const cases: Array<[RequestInit, RegExp]> = [
      [json({ text: 42 }), /text must be a string/],
      [json({}), /text must be a string/],
      [json({ text: 'x'.repeat(201) }), /text must be shorter than or equal to 200 characters/],
      [json({ text: 'ok', admin: true }), /property admin should not exist/],
      [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text": ' }, /JSON/],
    ];
    for (const [init, reason] of cases) {
      const response = await fetch(`${url}/notes`, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-request-id': 'bad-input' } });
      expect(response.status).toBe(400);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request', requestId: 'bad-input' });
      expect(JSON.stringify(body.message)).toMatch(reason);
      expect(body.code).toEqual(expect.any(String));
    }
    const invalidId = await fetch(`${url}/notes/abc`);
    expect(invalidId.status).toBe(400);
    expect(await count(url)).toBe(before);
  });

  it('refuses a body over 100 kB with 413 and stores nothing', async () => {
    const before = await count(url);
    const response = await fetch(`${url}/notes`, json({ text: 'x'.repeat(200 * 1024) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ statusCode: 413, error: 'Payload Too Large', message: 'request entity too large', code: 'entity.too.large' });
    expect(await count(url)).toBe(before);
  });

  it('answers a fault with a bare 500 and logs the details with the request id', async () => {
    const response = await fetch(`${url}/notes/fault`, { headers: { 'x-request-id': 'fault-1' } });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error', requestId: 'fault-1' });
    expect(text).not.toMatch(/hunter2|secret\.ts|at /);
    const logged = logs.lines.find((line) => line.requestId === 'fault-1' && line.level === 50 && line.err);
    expect(JSON.stringify(logged)).toMatch(/hunter2/);
  });

  it('writes one JSON access line per request, with the request id and without the query string', async () => {
    await fetch(`${url}/notes/count?x-algolia-api-key=should-not-appear`, { headers: { 'x-request-id': 'access-1', authorization: 'Bearer not-logged' } });
    const line = logs.lines.find((entry) => entry.requestId === 'access-1' && entry.msg === 'request completed');
    expect(line).toMatchObject({ service: 'notes', method: 'GET', path: '/notes/count', status: 200 });
    expect(JSON.stringify(logs.lines)).not.toMatch(/should-not-appear|not-logged/);
  });
});

async function count(url: string): Promise<number> {
  const response = await fetch(`${url}/notes/count`);
  return ((await response.json()) as { count: number }).count;
}
