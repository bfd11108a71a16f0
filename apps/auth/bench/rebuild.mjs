#!/usr/bin/env node
// Time to rebuild the revocation projection in Redis from the database: fills the database with
// live revocations (100,000 by default), rebuilds once into a fresh Redis namespace, then once
// more over a projection marked as another database's (removed first), and cleans up.
// Usage: node apps/auth/bench/rebuild.mjs [entries]
//   SQLite in a temporary folder by default; DATABASE_URL=postgres://… uses that server, in a
//   database of its own created for the run and dropped afterwards. REDIS_URL defaults to
//   redis://127.0.0.1:6379. Runs the TypeScript sources directly (bench/ts-loader.mjs): no build.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

register('./ts-loader.mjs', import.meta.url);
await import('reflect-metadata');
const { Logger } = await import('@nestjs/common');
const { REVOCATION_KINDS, encodeProjectionGeneration, projectionGenerationKey, revocationKey } = await import('@sso/contracts');
const { DatabaseIdentity, dataSourceOptions, openDataSource, ProjectionKeeper } = await import('@sso/platform');
const pg = (await import('pg')).default;
const { createClient } = await import('redis');
const { migrations } = await import('../src/database/migrations.ts');
const { Revocation } = await import('../src/revocation/revocation.entity.ts');
const { RevocationProjection } = await import('../src/revocation/revocation.projection.ts');
const { RevocationStore } = await import('../src/revocation/revocation.store.ts');

const entries = Number(process.argv[2] ?? 100_000);
const INSERT_BATCH = 1_000;
const run = randomBytes(4).toString('hex');
const namespace = `sso-bench-${run}:`;
const config = { REDIS_NAMESPACE: namespace, AUTH_ACCESS_TOKEN_TTL_SECONDS: 900 };
// The keeper logs each rebuild; the figures below say the same.
Logger.overrideLogger(['warn', 'error']);

const dataDir = mkdtempSync(join(tmpdir(), 'sso-bench-'));
let database;
let databaseUrl;
if (process.env.DATABASE_URL) {
  database = `sso_bench_${run}`;
  await admin(`CREATE DATABASE "${database}"`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${database}`;
  databaseUrl = url.toString();
}
const dataSourceSettings = { ...dataSourceOptions({ service: 'auth', DATABASE_URL: databaseUrl, dataDir }, { migrations }), entities: [Revocation, DatabaseIdentity], logging: false };
let dataSource;
const redis = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', RESP: 2 });
redis.on('error', () => undefined);

try {
  dataSource = await openDataSource(dataSourceSettings);
  await redis.connect();
  const fillSeconds = await timed(() => fill(dataSource, entries));
  const store = new RevocationStore(dataSource, config);
  const keeper = new ProjectionKeeper(redis, new RevocationProjection(redis, config, store), { namespace, checkIntervalMs: 60_000 });

  console.log(`revocation projection rebuild: ${entries} live revocations, ${databaseUrl ? 'PostgreSQL' : 'SQLite'}, Redis ${redis.options?.url ?? ''}`);
  console.log(`${'database filled (batches of 1,000)'.padEnd(44)} ${fillSeconds.toFixed(2).padStart(7)} s`);
  const fresh = await timed(() => keeper.rebuild('benchmark'));
  const written = await projected(redis);
  console.log(`${'rebuild into an empty namespace'.padEnd(44)} ${fresh.toFixed(2).padStart(7)} s   ${written} entries   ${(written / fresh).toFixed(0)} entries/s`);

  await redis.set(projectionGenerationKey(namespace, 'revocations'), encodeProjectionGeneration({ generation: 'bench', source: 'another-database', builtAt: Date.now() }));
  const foreign = await timed(() => keeper.rebuild('benchmark, over another database’s projection'));
  console.log(`${'rebuild over another database’s projection'.padEnd(44)} ${foreign.toFixed(2).padStart(7)} s   ${await projected(redis)} entries`);
  if (written !== entries) throw new Error(`expected ${entries} entries in Redis, found ${written}`);
} finally {
  const keys = redis.isReady ? await redis.keys(`${namespace}*`) : [];
  if (keys.length > 0) await redis.del(keys);
  if (redis.isOpen) await redis.close();
  if (dataSource?.isInitialized) await dataSource.destroy();
  if (database) await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  rmSync(dataDir, { recursive: true, force: true });
}

/** Live revocations of every kind, in the proportions a busy service might hold. */
async function fill(source, count) {
  const now = Math.floor(Date.now() / 1000);
  const kindOf = (index) => (index % 20 < 12 ? 'jti' : index % 20 < 16 ? 'sid' : index % 20 < 18 ? 'sub' : index % 20 < 19 ? 'client' : 'kid');
  const scoreOf = { jti: now + 900, sid: now - 10, sub: now - 10, client: now - 10, kid: now };
  await source.transaction(async (manager) => {
    for (let start = 0; start < count; start += INSERT_BATCH) {
      const rows = [];
      for (let index = start; index < Math.min(start + INSERT_BATCH, count); index++) rows.push({ kind: kindOf(index), value: `bench-${index}-${randomBytes(6).toString('hex')}`, score: scoreOf[kindOf(index)] });
      await manager.createQueryBuilder().insert().into(Revocation).values(rows).execute();
    }
  });
}

async function projected(client) {
  let total = 0;
  for (const kind of REVOCATION_KINDS) total += await client.zCard(revocationKey(namespace, kind));
  return total;
}

async function timed(work) {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

async function admin(sql) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
