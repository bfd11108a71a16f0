import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { captureLogs, createTestEnv, listenOnLoopback, startRedisServer, waitFor, type TestRedisServer } from '@sso/testing';
import { createServiceApp } from '../src/index.js';
import { notesService } from './fixtures/notes-app.js';

async function readiness(url: string): Promise<{ status: number; body: { checks: Record<string, { status: string }> } }> {
  const response = await fetch(`${url}/health/ready`);
  return { status: response.status, body: (await response.json()) as { checks: Record<string, { status: string }> } };
}

describe('a service whose Redis goes away and comes back', () => {
  const testEnv = createTestEnv();
  let redis: TestRedisServer;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    redis = await startRedisServer();
    const config = notesService.loadConfig({ ...testEnv.env, REDIS_URL: redis.url });
    ({ app } = await createServiceApp({ module: notesService.module(config), config, description: 'notes', logDestination: captureLogs().destination }));
    url = await listenOnLoopback(app);
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
    testEnv.cleanup();
  });

  it('is ready, then 503 while Redis is down, then ready again without a restart', async () => {
    await waitFor(async () => (await readiness(url)).status === 200, 'readiness with Redis up');

    await redis.stop();
    await waitFor(async () => (await readiness(url)).status === 503, 'readiness 503 with Redis down');
    const down = await readiness(url);
    expect(down.body.checks.redis.status).toBe('down');
    expect(down.body.checks.database.status).toBe('up');
    const live = await fetch(`${url}/health/live`);
    expect(live.status).toBe(200);

    await redis.start();
    await waitFor(async () => (await readiness(url)).status === 200, 'readiness 200 after Redis returns', 15_000);
    expect((await readiness(url)).body.checks.redis.status).toBe('up');
  });
});
