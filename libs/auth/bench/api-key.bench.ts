// Cost of an API-key check, and how soon a deletion is refused: `npm run bench:api-keys` in libs/auth.
// Needs Redis at REDIS_URL (default redis://127.0.0.1:6379); uses and then removes a namespace of its own.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AllowApiKey, API_KEY_VERIFIER, ApiKeyStore, AuthModule, Public, type ApiKeyVerifier } from '@sso/auth';
import { API_KEY_SECRET_PURPOSE, apiKeyHash, apiKeysChannel, apiKeysHashKey, encodeApiKeyEvent, encodeApiKeyRecord, encodeProjectionGeneration, mintApiKey, projectionGenerationKey, SecretBox, type ApiKeyRecord } from '@sso/contracts';
import { algoliasearch } from 'algoliasearch';
import { createClient } from 'redis';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const NAMESPACE = `sso-bench-${randomUUID().slice(0, 8)}:`;
const SECRET = 'bench-key-encryption-secret';
const ROUNDS = 6;
const REQUESTS_PER_ROUND = 4_000;
const CONCURRENCY = 16;
const DELETIONS = 50;
const CHECKS = 200_000;

@Controller()
class BenchController {
  @Get('open')
  @Public()
  open(): { ok: true } {
    return { ok: true };
  }

  @Get('keyed')
  @AllowApiKey('search')
  keyed(): { ok: true } {
    return { ok: true };
  }
}

@Module({
  imports: [AuthModule.forRoot({ issuer: 'http://127.0.0.1:1', audience: 'bench', redisUrl: REDIS_URL, namespace: NAMESPACE, apiKeys: { applicationId: 'SSODEMO', encryptionSecret: SECRET, indexOf: () => 'products' } })],
  controllers: [BenchController],
})
class BenchModule {}

async function main(): Promise<void> {
  const redis = createClient({ url: REDIS_URL, RESP: 2 });
  await redis.connect();
  const put = async (key: string, record: Omit<ApiKeyRecord, 'v'>) => {
    await redis.multi().hSet(apiKeysHashKey(NAMESPACE), apiKeyHash(key), encodeApiKeyRecord(record)).publish(apiKeysChannel(NAMESPACE), encodeApiKeyEvent(apiKeyHash(key), record)).exec();
  };
  const box = new SecretBox(SECRET, API_KEY_SECRET_PURPOSE);
  const recordOf = (key: string): Omit<ApiKeyRecord, 'v'> => ({ id: randomUUID(), appId: 'SSODEMO', acl: ['search'], indexes: ['products'], referers: [], maxHitsPerQuery: 0, maxQueriesPerIPPerHour: 0, queryParameters: '', expiresAt: null, deletedAt: null, sealedSecret: box.seal(Buffer.from(key)), version: Date.now() });
  // A realistic projection: a thousand keys, so lookups and the parent search are not trivially small.
  for (let index = 0; index < 1_000; index++) {
    const key = mintApiKey();
    await put(key, recordOf(key));
  }
  const key = mintApiKey();
  const record = recordOf(key);
  await put(key, record);
  // As the owners (auth, the key service) mark the projections they have built whole.
  for (const name of ['revocations', 'api-keys'] as const) {
    await redis.set(projectionGenerationKey(NAMESPACE, name), encodeProjectionGeneration({ generation: randomUUID(), source: 'bench', builtAt: Date.now() }));
  }

  const app = await NestFactory.create(BenchModule, { logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const store = app.get(ApiKeyStore);
  while (store.mode !== 'live') await new Promise((resolve) => setTimeout(resolve, 20));

  const verifier = app.get<ApiKeyVerifier>(API_KEY_VERIFIER);
  const secured = algoliasearch('SSODEMO', 'unused').generateSecuredApiKey({ parentApiKey: key, restrictions: { restrictIndices: ['products'], validUntil: Math.floor(Date.now() / 1000) + 3_600 } });
  const request = { headers: {}, ip: '127.0.0.1', path: '/keyed' };
  console.log(`node ${process.version}; one key check in memory (live projection of ${1_001} keys), ${CHECKS} checks each`);
  for (const [name, value] of [['plain key', key], ['secured key (parent found once, then cached)', secured]] as const) {
    await verifier.verify({ key: value, applicationId: 'SSODEMO', acl: ['search'], request });
    const started = performance.now();
    for (let round = 0; round < CHECKS; round++) await verifier.verify({ key: value, applicationId: 'SSODEMO', acl: ['search'], request });
    console.log(`  ${name.padEnd(46)} ${(((performance.now() - started) * 1000) / CHECKS).toFixed(2)} µs/check`);
  }

  const headers = { 'x-algolia-api-key': key, 'x-algolia-application-id': 'SSODEMO' };
  if ((await fetch(`${url}/keyed`, { headers })).status !== 200) throw new Error('the key is not accepted');
  console.log(`HTTP: ${ROUNDS} alternating rounds of ${REQUESTS_PER_ROUND} requests, ${CONCURRENCY} at a time, one keep-alive client`);
  const rates = { open: [] as number[], keyed: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    rates.open.push(await throughput(`${url}/open`, {}));
    rates.keyed.push(await throughput(`${url}/keyed`, headers));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(`@Public() route:            median ${Math.round(median(rates.open))} req/s  (rounds: ${rates.open.map(Math.round).join(', ')})`);
  console.log(`@AllowApiKey('search') key: median ${Math.round(median(rates.keyed))} req/s  (rounds: ${rates.keyed.map(Math.round).join(', ')})`);
  console.log(`ratio keyed/open: ${(median(rates.keyed) / median(rates.open)).toFixed(3)}`);

  const delays: number[] = [];
  for (let round = 0; round < DELETIONS; round++) {
    const doomed = mintApiKey();
    const doomedRecord = recordOf(doomed);
    await put(doomed, doomedRecord);
    while ((await fetch(`${url}/keyed`, { headers: { ...headers, 'x-algolia-api-key': doomed } })).status !== 200) await new Promise((resolve) => setTimeout(resolve, 1));
    const started = performance.now();
    await put(doomed, { ...doomedRecord, deletedAt: Math.floor(Date.now() / 1000) });
    while ((await fetch(`${url}/keyed`, { headers: { ...headers, 'x-algolia-api-key': doomed } })).status !== 403);
    delays.push(performance.now() - started);
  }
  delays.sort((a, b) => a - b);
  console.log(`delete to first refused request (${DELETIONS} deletions): median ${delays[Math.floor(DELETIONS / 2)].toFixed(2)} ms, max ${delays[DELETIONS - 1].toFixed(2)} ms`);

  await app.close();
  const left = await redis.keys(`${NAMESPACE}*`);
  if (left.length > 0) await redis.del(left);
  await redis.close();
}

/** Requests per second of one round, CONCURRENCY in flight. */
async function throughput(url: string, headers: Record<string, string>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS_PER_ROUND) {
        const response = await fetch(url, { headers });
        if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
        await response.arrayBuffer();
      }
    }),
  );
  return REQUESTS_PER_ROUND / ((performance.now() - started) / 1000);
}

await main();
