#!/usr/bin/env node
// How long the built api-keys service takes to rebuild its whole Redis projection from a
// database of 100,000 keys (what every Redis restart, failover or flush costs).
//
// Usage: npm run build (in apps/api-keys) && node apps/api-keys/bench/rebuild.mjs [sqlite|postgres] [keys]
// Default: both databases, 100,000 keys. Needs Redis at REDIS_URL (default redis://127.0.0.1:6379)
// and, for postgres, PostgreSQL at POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres).
//
// For each database: the service is started once on a new database so its migrations make the
// schema, and stopped; the keys are inserted as rows directly, in batches (half of them `search`
// keys with a sealed secret, 2% tombstones); the service is started again on a fresh Redis
// namespace, so its start rebuilds everything into an empty hash; then the marker is removed, so
// its periodic check rebuilds over the full hash. The figures are the keeper's own timing
// (`sso_projection_rebuild_duration_seconds` on /metrics: database read, every HSET and event,
// the marker), the hash length, and the service's peak RSS. Everything is removed afterwards:
// the Redis namespaces, the PostgreSQL database or the SQLite folder.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_KEY_SECRET_PURPOSE, API_KEY_VISIBLE_LENGTH, apiKeyHash, mintApiKey, projectionGenerationKey, SecretBox } from '@sso/contracts';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createClient } from 'redis';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const POSTGRES_URL = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databases = process.argv[2] ? [process.argv[2]] : ['sqlite', 'postgres'];
const KEYS = Number(process.argv[3] ?? 100_000);
const BATCH = 1_000;
const CHECK_INTERVAL_MS = 500;
const ENCRYPTION_SECRET = randomBytes(32).toString('hex');
const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

const COLUMNS = ['id', 'hash', 'visiblePart', 'acl', 'description', 'indexes', 'referers', 'maxHitsPerQuery', 'maxQueriesPerIPPerHour', 'queryParameters', 'validity', 'expiresAt', 'createdAt', 'updatedAt', 'deletedAt', 'lastUsedAt', 'sealedSecret'];
const columnList = COLUMNS.map((column) => `"${column}"`).join(', ');

/** TypeORM keeps SQLite datetimes as UTC text with milliseconds. */
const sqliteTime = (date) => (date === null ? null : date.toISOString().replace('T', ' ').replace('Z', ''));

const redis = createClient({ url: REDIS_URL, RESP: 2 });
await redis.connect();
try {
  const rows = makeRows(KEYS);
  console.log(`api-keys projection rebuild: ${KEYS.toLocaleString('en')} keys (${rows.filter((row) => row.sealedSecret).length.toLocaleString('en')} sealed, ${rows.filter((row) => row.deletedAt).length.toLocaleString('en')} tombstones), Redis ${REDIS_URL}`);
  for (const database of databases) await bench(database, rows);
} finally {
  await redis.close();
}

async function bench(database, rows) {
  const run = randomBytes(4).toString('hex');
  const namespaces = [`sso-bench-${run}-schema:`, `sso-bench-${run}:`];
  const dataDir = mkdtempSync(join(tmpdir(), 'sso-bench-'));
  const dbName = `sso_bench_${run}`;
  const dbUrl = Object.assign(new URL(POSTGRES_URL), { pathname: `/${dbName}` }).toString();
  if (database === 'postgres') await admin(`CREATE DATABASE "${dbName}"`);
  const env = { DATA_DIR: dataDir, ...(database === 'postgres' ? { DATABASE_URL: dbUrl } : {}) };
  try {
    // 1. The schema, made by the service's own migrations.
    await stopService(await startService(env, namespaces[0]));

    // 2. The keys, as rows.
    const insertStarted = performance.now();
    if (database === 'postgres') await insertPostgres(dbUrl, rows);
    else insertSqlite(join(dataDir, 'api-keys.sqlite'), rows);
    const insertSeconds = (performance.now() - insertStarted) / 1000;

    // 3. A start on an empty namespace: the whole projection is written from the database.
    const service = await startService(env, namespaces[1]);
    try {
      const fresh = await rebuilt(service, namespaces[1], 1);
      // 4. The marker removed (as by a flush of that key alone): the check rebuilds over the full hash.
      await redis.del(projectionGenerationKey(namespaces[1], 'api-keys'));
      const over = await rebuilt(service, namespaces[1], 2);
      const peak = peakRss(service.child.pid);
      console.log(`${database.padEnd(8)} rows inserted in ${insertSeconds.toFixed(1)} s`);
      console.log(`${database.padEnd(8)} into an empty namespace: ${fresh.fields.toLocaleString('en')} fields in ${fresh.seconds.toFixed(2)} s (${Math.round(fresh.fields / fresh.seconds).toLocaleString('en')} keys/s)`);
      console.log(`${database.padEnd(8)} over the full hash:      ${over.fields.toLocaleString('en')} fields in ${over.seconds.toFixed(2)} s (${Math.round(over.fields / over.seconds).toLocaleString('en')} keys/s)`);
      if (peak) console.log(`${database.padEnd(8)} service peak RSS ${(peak / 1024).toFixed(0)} MB`);
    } finally {
      await stopService(service);
    }
  } finally {
    for (const namespace of namespaces) await removeNamespace(namespace);
    if (database === 'postgres') await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Waits for the `count`-th rebuild of the service and returns its duration (the keeper's) and the hash length. */
async function rebuilt(service, namespace, count) {
  for (;;) {
    const metrics = await fetch(`${service.url}/metrics`).then((response) => response.text(), () => '');
    const done = sample(metrics, 'sso_projection_rebuild_duration_seconds_count');
    if (done >= count && (await redis.exists(projectionGenerationKey(namespace, 'api-keys')))) {
      const total = sample(metrics, 'sso_projection_rebuild_duration_seconds_sum');
      const seconds = total - (service.previousSeconds ?? 0);
      service.previousSeconds = total;
      return { seconds, fields: await redis.hLen(`${namespace}apikeys`) };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function sample(metrics, name) {
  const line = metrics.split('\n').find((entry) => entry.startsWith(`${name}{`) && entry.includes('projection="api-keys"'));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

function makeRows(count) {
  const box = new SecretBox(ENCRYPTION_SECRET, API_KEY_SECRET_PURPOSE);
  const now = Date.now();
  return Array.from({ length: count }, (_, index) => {
    const key = mintApiKey();
    const search = index % 2 === 0;
    const createdAt = new Date(now - (count - index) * 1_000);
    return {
      id: randomUUID(),
      hash: apiKeyHash(key),
      visiblePart: key.slice(0, API_KEY_VISIBLE_LENGTH),
      acl: JSON.stringify(search ? ['search'] : ['browse', 'addObject', 'deleteObject']),
      description: `bench key ${index}`,
      indexes: JSON.stringify(search ? ['products'] : []),
      referers: JSON.stringify(index % 10 === 0 ? ['https://shop.example.com/*'] : []),
      maxHitsPerQuery: search ? 20 : 0,
      maxQueriesPerIPPerHour: index % 5 === 0 ? 1_000 : 0,
      queryParameters: '',
      validity: 0,
      expiresAt: null,
      createdAt,
      updatedAt: createdAt,
      deletedAt: index % 50 === 1 ? new Date(now - 60_000) : null,
      lastUsedAt: null,
      sealedSecret: search ? box.seal(Buffer.from(key)) : null,
    };
  });
}

async function insertPostgres(url, rows) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH);
      const values = batch.map((_, row) => `(${COLUMNS.map((__, column) => `$${row * COLUMNS.length + column + 1}`).join(', ')})`).join(', ');
      await client.query(`INSERT INTO api_keys (${columnList}) VALUES ${values}`, batch.flatMap((row) => COLUMNS.map((column) => row[column])));
    }
  } finally {
    await client.end();
  }
}

function insertSqlite(file, rows) {
  const db = new Database(file);
  try {
    const insert = db.prepare(`INSERT INTO api_keys (${columnList}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
    const insertBatch = db.transaction((batch) => {
      for (const row of batch) insert.run(COLUMNS.map((column) => (row[column] instanceof Date || row[column] === null ? sqliteTime(row[column]) : row[column])));
    });
    for (let start = 0; start < rows.length; start += BATCH) insertBatch(rows.slice(start, start + BATCH));
  } finally {
    db.close();
  }
}

async function startService(env, namespace) {
  const port = await new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = server.address();
      server.close(() => resolve(free));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      ...env,
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL,
      REDIS_NAMESPACE: namespace,
      AUTH_ISSUER: url,
      API_KEYS_ENCRYPTION_SECRET: ENCRYPTION_SECRET,
      API_KEYS_MAINTENANCE_INTERVAL_MS: '600000',
      API_KEYS_PROJECTION_CHECK_INTERVAL_MS: String(CHECK_INTERVAL_MS),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}`);
    if (await redis.exists(projectionGenerationKey(namespace, 'api-keys'))) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, url, exited };
}

async function stopService({ child, exited }) {
  if (child.exitCode === null) child.kill('SIGTERM');
  await exited;
}

/** Peak resident memory (kB) of a process, from Linux's /proc; undefined elsewhere. */
function peakRss(pid) {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function removeNamespace(namespace) {
  for await (const found of redis.scanIterator({ MATCH: `${namespace}*`, COUNT: 1_000 })) {
    const keys = Array.isArray(found) ? found : [found];
    if (keys.length > 0) await redis.del(keys);
  }
}

async function admin(sql) {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
