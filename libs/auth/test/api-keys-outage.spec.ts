import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { apiKeyHash } from '@sso/contracts';
import { ApiKeyWriter, startRedisServer, waitFor, type TestRedisServer } from '@sso/testing';
import { ApiKeyStore } from '../src/index.js';

import { startTestApp, type TestApp } from './support/test-app.js';

describe('API keys while Redis or the key channel is down (a redis-server of our own)', () => {
  const namespace = 'sso:';
  let redis: TestRedisServer;
  let writer: ApiKeyWriter;
  let service: TestApp;
  let store: ApiKeyStore;

  const status = async (key: string) => (await fetch(`${service.url}/things/search`, { headers: { 'x-algolia-api-key': key, 'x-algolia-application-id': 'SSODEMO' } })).status;

  beforeAll(async () => {
    redis = await startRedisServer();
    writer = await new ApiKeyWriter(redis.url, namespace, 'outage-secret').connect();
    service = await startTestApp({ issuer: 'http://127.0.0.1:1', audience: 'billing', redisUrl: redis.url, namespace, redisCommandTimeoutMs: 300, apiKeys: { applicationId: 'SSODEMO', encryptionSecret: 'outage-secret' } });
    store = service.app.get(ApiKeyStore);
    await waitFor(() => store.mode === 'live', 'the key projection to load');
  });
  afterAll(async () => {
    await service?.close();
    await writer?.close();
    await redis?.stop();
  });

  it('asks Redis per request while the channel is down: a key deleted then is refused at once', async () => {
    const { key, record } = await writer.create();
    await waitFor(async () => (await status(key)) === 200, 'the key to arrive');
    const clients = (await writer.redis.sendCommand(['CLIENT', 'LIST'])) as string;
    const subscriberId = /id=(\d+) [^\n]*name=billing:api-keys-sub/.exec(clients)?.[1];
    expect(subscriberId).toBeDefined();
    // Keep the subscriber from reconnecting: no room for one more client.
    await writer.redis.sendCommand(['CONFIG', 'SET', 'maxclients', String(clients.trim().split('\n').length - 1)]);
    await writer.redis.sendCommand(['CLIENT', 'KILL', 'ID', subscriberId as string]);
    await waitFor(() => store.mode === 'fallback', 'the guard to notice the lost subscription', 2_000, 5);
    expect(await status(key)).toBe(200);
    await writer.redis.hSet(`${namespace}apikeys`, apiKeyHash(key), JSON.stringify({ ...record, v: 1, deletedAt: Math.floor(Date.now() / 1000), version: record.version + 1 }));
    expect(await status(key)).toBe(403);
    await writer.redis.sendCommand(['CONFIG', 'SET', 'maxclients', '10000']);
    await waitFor(() => store.mode === 'live', 'the projection to resynchronise', 5_000);
    expect(await status(key)).toBe(403);
  });

  it('answers 503 while Redis is down, never a stale accept, and works again when Redis is back, without a restart', async () => {
    const { key, record } = await writer.create();
    await waitFor(async () => (await status(key)) === 200, 'the key to arrive');
    await writer.close();
    await redis.stop();
    await waitFor(() => store.mode === 'fallback', 'the guard to notice Redis is gone', 2_000, 5);
    const response = await fetch(`${service.url}/things/search`, { headers: { 'x-algolia-api-key': key, 'x-algolia-application-id': 'SSODEMO' } });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: 'api_key_unavailable' });
    await redis.start();
    writer = await new ApiKeyWriter(redis.url, namespace, 'outage-secret').connect();
    // The restarted Redis is empty until the key service projects its keys again.
    await writer.put(key, record);
    await waitFor(async () => (await status(key)) === 200, 'keys to work again', 10_000);
    await waitFor(() => store.mode === 'live', 'the projection to be live again', 10_000);
    expect(await status(key)).toBe(200);
  });
});
