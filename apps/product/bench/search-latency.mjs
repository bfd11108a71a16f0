#!/usr/bin/env node
// Search latency of the built product service on Algolia's protocol, for a catalog of 10,000
// products, on SQLite and on PostgreSQL side by side: auth and product run as processes, the
// catalog is indexed through POST /1/indexes/products/batch, then each kind of search a
// storefront sends is timed over HTTP, one request at a time.
// Usage: npx nx run-many -t build -p @sso/auth-service @sso/product-service
//        node apps/product/bench/search-latency.mjs [products] [requests per case]
// Needs Redis on 127.0.0.1:6379 and PostgreSQL at TEST_POSTGRES_URL (as the tests do).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const PRODUCTS = Number(process.argv[2] ?? 10_000);
const REQUESTS = Number(process.argv[3] ?? 300);
const BATCH = 1_000;
const ADMIN_PASSWORD = 'benchmark-admin-password';
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_NAMESPACE = `sso-bench-${randomBytes(4).toString('hex')}:`;
const mainOf = (service) => fileURLToPath(new URL(`../../${service}/dist/main.js`, import.meta.url));

const BRANDS = Array.from({ length: 50 }, (_, index) => `Brand ${index + 1}`);
const CATEGORIES = ['Lighting', 'Clothing', 'Kitchen', 'Garden', 'Office', 'Toys', 'Audio', 'Sports', 'Bath', 'Books'];
const NOUNS = ['Lamp', 'Shirt', 'Kettle', 'Chair', 'Desk', 'Speaker', 'Ball', 'Towel', 'Novel', 'Rake'];
const ADJECTIVES = ['Small', 'Large', 'Classic', 'Modern', 'Organic', 'Vintage', 'Compact', 'Deluxe', 'Simple', 'Bright'];

/** What a storefront sends: the first page with its facets, a typed query, a refined facet, a filter, a deep page. */
const CASES = [
  ['page load: empty query, 8 hits, 2 facets', { query: '', hitsPerPage: 8, facets: ['brand', 'category'] }],
  ['query "lamp" (1 in 10 match), 8 hits, 2 facets', { query: 'lamp', hitsPerPage: 8, facets: ['brand', 'category'] }],
  ['query "vintage lamp 12" (few match)', { query: 'vintage lamp 12', hitsPerPage: 8 }],
  ['query "lamp" + facetFilters brand, facets', { query: 'lamp', hitsPerPage: 8, facets: ['brand', 'category'], facetFilters: [['brand:Brand 11']] }],
  ['filters price:1000 TO 5000 AND NOT category:Toys', { query: '', hitsPerPage: 20, filters: 'price:1000 TO 5000 AND NOT category:Toys' }],
  ['deep page: page 49 of 20 hits', { query: '', hitsPerPage: 20, page: 49 }],
];

const scratch = mkdtempSync(join(tmpdir(), 'sso-search-bench-'));
const children = [];
const database = `sso_bench_${randomBytes(4).toString('hex')}`;
let status = 0;
try {
  const authUrl = await start('auth', { AUTH_ADMIN_PASSWORD: ADMIN_PASSWORD, DATA_DIR: dir('auth') });
  const token = await adminToken(authUrl);
  await adminQuery(`CREATE DATABASE "${database}"`);
  const databaseUrl = Object.assign(new URL(POSTGRES_URL), { pathname: `/${database}` }).toString();
  const backends = [
    ['SQLite', { DATA_DIR: dir('product-sqlite') }],
    ['PostgreSQL', { DATA_DIR: dir('product-postgres'), DATABASE_URL: databaseUrl }],
  ];
  const results = new Map();
  for (const [name, env] of backends) {
    const url = await start('product', { ...env, AUTH_ISSUER: authUrl, USAGE_TRACKING_URL: 'http://127.0.0.1:9' });
    const began = performance.now();
    await index(url, token);
    console.log(`${name}: ${PRODUCTS} products indexed in ${((performance.now() - began) / 1000).toFixed(1)} s (batches of ${BATCH})`);
    results.set(name, await measureAll(url, token));
  }
  print(results);
} catch (error) {
  status = 1;
  console.error(error.message);
} finally {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined)));
  await adminQuery(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => undefined);
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(status);

async function start(service, env) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [mainOf(service)], {
    env: { ...process.env, NODE_ENV: 'development', PORT: String(port), HOST: '127.0.0.1', AUTH_ISSUER: url, REDIS_NAMESPACE, LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  for (const deadline = Date.now() + 60_000; ; await new Promise((resolve) => setTimeout(resolve, 200))) {
    if (child.exitCode !== null) throw new Error(`${service} exited with code ${child.exitCode}`);
    if (await fetch(`${url}/health/ready`).then((response) => response.ok, () => false)) return url;
    if (Date.now() > deadline) throw new Error(`${service} was not ready within 60 s`);
  }
}

async function adminToken(authUrl) {
  const response = await fetch(`${authUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD, scope: 'product:read product:write' }) });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return (await response.json()).access_token;
}

/** Deterministic records: one in ten names holds each noun, brands and categories spread evenly. */
function record(index) {
  const noun = NOUNS[index % NOUNS.length];
  return {
    name: `${ADJECTIVES[Math.floor(index / NOUNS.length) % ADJECTIVES.length]} ${noun} ${index}`,
    description: `A ${noun.toLowerCase()} for every day, model ${index}`,
    price: 100 + ((index * 7919) % 20_000),
    currency: 'EUR',
    brand: BRANDS[(index * 31) % BRANDS.length],
    category: CATEGORIES[(index * 17) % CATEGORIES.length],
  };
}

async function index(url, token) {
  for (let start = 0; start < PRODUCTS; start += BATCH) {
    const requests = Array.from({ length: Math.min(BATCH, PRODUCTS - start) }, (_, offset) => ({ action: 'addObject', body: record(start + offset) }));
    const response = await call(url, token, '/1/indexes/products/batch', { requests });
    if (response.status !== 200) throw new Error(`batch failed: ${response.status} ${await response.text()}`);
  }
}

/** As the algoliasearch clients send it: JSON as text/plain (the routes take up to 1 MB so). */
function call(url, token, path, body) {
  return fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, body: JSON.stringify(body) });
}

async function measureAll(url, token) {
  const measured = [];
  for (const [name, params] of CASES) {
    const latencies = [];
    let nbHits;
    for (let round = 0; round < REQUESTS + 20; round++) {
      const began = performance.now();
      const response = await call(url, token, '/1/indexes/products/query', params);
      const body = await response.json();
      const elapsed = performance.now() - began;
      if (response.status !== 200) throw new Error(`${name}: ${response.status} ${JSON.stringify(body)}`);
      nbHits = body.nbHits;
      if (round >= 20) latencies.push(elapsed); // the first 20 warm up
    }
    latencies.sort((a, b) => a - b);
    measured.push({ name, nbHits, p50: latencies[Math.floor(latencies.length * 0.5)], p99: latencies[Math.floor(latencies.length * 0.99)] });
  }
  return measured;
}

function print(results) {
  const backends = [...results.keys()];
  console.log(`\nPOST /1/indexes/products/query, ${PRODUCTS} products, ${REQUESTS} requests per case, one at a time, bearer token; ms over HTTP on 127.0.0.1`);
  console.log(`${'case'.padEnd(50)} ${'nbHits'.padStart(6)}  ${backends.map((name) => `${name} p50 / p99`.padStart(22)).join('  ')}`);
  results.get(backends[0]).forEach(({ name, nbHits }, row) => {
    const cells = backends.map((backend) => {
      const { p50, p99 } = results.get(backend)[row];
      return `${p50.toFixed(1)} / ${p99.toFixed(1)}`.padStart(22);
    });
    console.log(`${name.padEnd(50)} ${String(nbHits).padStart(6)}  ${cells.join('  ')}`);
  });
}

async function adminQuery(sql) {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function dir(name) {
  return join(scratch, name);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
