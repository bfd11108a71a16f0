import { afterAll, describe, expect, it } from '@jest/globals';
import { captureLogs, createTestEnv, listenOnLoopback, waitFor } from '@sso/testing';
import { DataSource } from 'typeorm';
import { createServiceApp, REDIS_CLIENT, type RedisClient } from '../src/index.js';
import { notesService } from './fixtures/notes-app.js';

describe('closing a service', () => {
  const testEnv = createTestEnv();
  afterAll(() => testEnv.cleanup());

  it('finishes the request in flight, refuses new connections, then closes the database and Redis', async () => {
    const config = notesService.loadConfig(testEnv.env);
    const { app } = await createServiceApp({ module: notesService.module(config), config, description: 'notes', logDestination: captureLogs().destination });
    const url = await listenOnLoopback(app);
    const redis = app.get<RedisClient>(REDIS_CLIENT);
    const dataSource = app.get(DataSource);
    await waitFor(() => redis.isReady, 'Redis connection');

    const inFlight = fetch(`${url}/notes/slow?ms=400`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = app.close();

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ waited: 400 });
    await closed;
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
    expect(dataSource.isInitialized).toBe(false);
    expect(redis.isOpen).toBe(false);
  });
});
