import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiKeyWriter, markProjectionsWhole, TEST_REDIS_URL, TestIssuer, waitFor } from '@sso/testing';
import { AuthModule } from '../src/index.js';
import { ThingsController } from './support/things.controller.js';

const APP_ID = 'SSODEMO';
const ENCRYPTION_SECRET = 'test-key-encryption-secret';

describe("the guards on Nest's Fastify adapter (a team's own app, no platform)", () => {
  const issuer = new TestIssuer();
  const namespace = `test:fastify:${randomUUID()}:`;
  let writer: ApiKeyWriter;
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    await issuer.start();
    await issuer.addKey();
    markProjectionsWhole(TEST_REDIS_URL, namespace);
    writer = await new ApiKeyWriter(TEST_REDIS_URL, namespace, ENCRYPTION_SECRET).connect();
    @Module({
      imports: [
        AuthModule.forRoot({
          issuer: issuer.issuer,
          audience: 'billing',
          redisUrl: TEST_REDIS_URL,
          namespace,
          apiKeys: { applicationId: APP_ID, encryptionSecret: ENCRYPTION_SECRET, migrationGuideUrl: 'https://docs.example/migrate' },
        }),
      ],
      controllers: [ThingsController],
    })
    class TeamModule {}
    app = await NestFactory.create<NestFastifyApplication>(TeamModule, new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(async () => {
    await app?.close();
    await writer?.cleanUp();
    await writer?.close();
    await issuer.close();
  });

  it('answers a missing or bad token 401 with its challenge, a valid one 200, a missing scope 403', async () => {
    expect((await fetch(`${url}/things/open`)).status).toBe(200);
    for (const headers of [{}, { authorization: 'Bearer not.a.token' }] as Array<Record<string, string>>) {
      const refused = await fetch(`${url}/things`, { headers });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    }
    const accepted = await fetch(`${url}/things`, { headers: { authorization: `Bearer ${await issuer.sign()}` } });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ kind: 'user', subject: 'user-1' });
    const narrow = await fetch(`${url}/things`, { method: 'POST', headers: { authorization: `Bearer ${await issuer.sign()}` } });
    expect(narrow.status).toBe(403);
    expect(narrow.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="billing:read billing:write"');
  });

  it('accepts an API key with its deprecation headers, and refuses an unknown one with 403', async () => {
    const { key } = await writer.create({ acl: ['search'] });
    const call = (apiKey: string) => fetch(`${url}/things/search`, { headers: { 'x-algolia-application-id': APP_ID, 'x-algolia-api-key': apiKey } });
    await waitFor(async () => (await call(key)).status === 200, 'the key to arrive');
    const accepted = await call(key);
    expect(accepted.headers.get('deprecation')).toBe('@1796083200');
    expect(accepted.headers.get('link')).toBe('<https://docs.example/migrate>; rel="deprecation"');
    expect((await call('ak_0000000000000000000000000000000000000000')).status).toBe(403);
  });

  it('answers a key over its hourly limit 429 with Retry-After', async () => {
    const { key } = await writer.create({ acl: ['search'], maxQueriesPerIPPerHour: 1 });
    const call = () => fetch(`${url}/things/search`, { headers: { 'x-algolia-application-id': APP_ID, 'x-algolia-api-key': key } });
    await waitFor(async () => (await call()).status !== 403, 'the key to arrive');
    const limited = await call();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
