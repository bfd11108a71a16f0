// What the whole stack does, started as `npm start` starts it (tools/stack/src/start.mjs, the
// built services, SQLite, the benchmark's Redis): how fast a revocation and a key deletion
// reach the services that check them, each service's memory under load, and for context how
// many logins, tokens and searches a second it serves.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sparePort } from '@sso/testing/fixtures';
import { HttpConnection, serialisedGet } from './http-connection.mjs';
import { quantile } from './paced-requests.mjs';
import { rssMb } from './proc-stats.mjs';

const LAUNCHER = fileURLToPath(new URL('../tools/stack/src/start.mjs', import.meta.url));
const STACK = ['auth', 'api-keys', 'billing', 'usage-tracking', 'settings', 'product', 'console'];
const RESOURCE_SERVICES = ['billing', 'usage-tracking', 'settings', 'product'];
const ADMIN_PASSWORD = 'bench-admin-password';
const APPLICATION_ID = 'SSODEMO';
const PRODUCTS = 1_000;
/**
 * How long after the revocation's answer a credential is tried once at each service: the
 * figure is the shortest of these at which 99% of the trials were refused everywhere. Trying
 * once, rather than asking again and again until refused, keeps the services as idle as they
 * would be: four services answering back to back keep both cores of this machine busy, and a
 * service waiting for a core is late to apply what Redis pushes.
 */
const DELAYS_MS = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500];
/** The goal's delay, where the ladder starts. */
const FIRST_DELAY_MS = 10;
const ACCEPT_LIMIT_MS = 3_000;

/** Starts the stack, measures, stops it. */
export async function measureStack({ redisUrl, trials, seconds }) {
  const stack = await startStack(redisUrl);
  try {
    const admin = await adminSetup(stack);
    const revocation = await ladder((delayMs) => revocationTrial(stack, admin, delayMs), trials);
    const keyDelete = await ladder((delayMs) => keyDeleteTrial(stack, admin, delayMs), trials);
    const { throughput, loadedRssMb } = await underLoad(stack, admin, seconds);
    return {
      revocationPropagationP99Ms: revocation.p99Ms,
      keyDeletePropagationP99Ms: keyDelete.p99Ms,
      servicesLoadedRssMb: loadedRssMb,
      throughput,
      details: { revocation, keyDelete },
    };
  } finally {
    await stack.stop();
  }
}

/**
 * A p99 by trials at fixed delays: `trials` trials at a delay, each with a new credential; a
 * delay passes when at least 99% of them were refused everywhere. From the goal the ladder goes
 * down while delays pass and up while they fail; the figure is the shortest delay that passed
 * (null: none up to the last).
 */
async function ladder(trial, trials) {
  const refusedShareByDelayMs = {};
  const answerMs = [];
  const lateMs = [];
  let index = DELAYS_MS.indexOf(FIRST_DELAY_MS);
  for (;;) {
    const delayMs = DELAYS_MS[index];
    let refused = 0;
    for (let count = 0; count < trials; count += 1) {
      const outcome = await trial(delayMs);
      answerMs.push(outcome.answerMs);
      lateMs.push(outcome.triedAfterMs - delayMs);
      if (outcome.refusedEverywhere) refused += 1;
    }
    refusedShareByDelayMs[delayMs] = refused / trials;
    const next = index + (refused / trials >= 0.99 ? -1 : 1);
    if (next < 0 || next >= DELAYS_MS.length || DELAYS_MS[next] in refusedShareByDelayMs) break;
    index = next;
  }
  const passed = DELAYS_MS.filter((delayMs) => refusedShareByDelayMs[delayMs] >= 0.99);
  return {
    p99Ms: passed.length > 0 ? Math.min(...passed) : null,
    trialsPerDelay: trials,
    refusedShareByDelayMs,
    answerMs: { p50: quantile(answerMs, 0.5), p99: quantile(answerMs, 0.99) },
    timerLateMs: { p50: quantile(lateMs, 0.5), p99: quantile(lateMs, 0.99) },
  };
}

/** One access token, accepted (and so cached) by the four resource services, revoked at auth (RFC 7009, by whoever holds it), then tried at each. */
async function revocationTrial(stack, admin, delayMs) {
  const token = await clientToken(stack, admin.client);
  const reads = RESOURCE_SERVICES.map((name) => ({ name, request: serialisedGet({ port: stack.ports[name], path: readPathOf(name), headers: { authorization: `Bearer ${token}` } }) }));
  return triedAfter(stack, reads, 401, delayMs, () =>
    post(`${stack.urls.auth}/oauth/revoke`, new URLSearchParams({ token }), { 'content-type': 'application/x-www-form-urlencoded' }),
  );
}

/** A key made at the key service and accepted by product's search (the one resource service that takes keys), deleted there, then tried at product. */
async function keyDeleteTrial(stack, admin, delayMs) {
  const key = await createSearchKey(stack, admin);
  const reads = [{ name: 'product', request: serialisedGet({ port: stack.ports.product, path: '/1/indexes/products?query=lamp', headers: { 'x-algolia-application-id': APPLICATION_ID, 'x-algolia-api-key': key } }) }];
  return triedAfter(stack, reads, 403, delayMs, () => fetch(`${stack.urls['api-keys']}/1/keys/${encodeURIComponent(key)}`, { method: 'DELETE', headers: admin.keyHeaders }));
}

/**
 * Waits until every read is accepted (a new key needs a moment to arrive), runs `act`, and
 * `delayMs` after its answer sends each read once, at the same moment, on keep-alive connections.
 */
async function triedAfter(stack, reads, refused, delayMs, act) {
  const connections = await Promise.all(reads.map(({ name }) => HttpConnection.open(stack.ports[name])));
  try {
    await Promise.all(reads.map(({ name, request }, index) => acceptedBy(connections[index], request, name)));
    const sent = performance.now();
    const response = await act();
    if (response.status >= 300) throw new Error(`${response.url} answered ${response.status}: ${await response.text()}`);
    const answered = performance.now();
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const triedAfterMs = performance.now() - answered;
    const statuses = await Promise.all(reads.map(({ request }, index) => connections[index].send(request)));
    // Read only now, so that it counts in neither figure, and the socket goes back to the pool.
    await response.arrayBuffer();
    const unexpected = statuses.find((status) => status !== 200 && status !== refused);
    if (unexpected !== undefined) throw new Error(`a trial got ${unexpected}`);
    if (process.env.BENCH_DEBUG) process.stderr.write(`answered in ${(answered - sent).toFixed(1)} ms; tried ${triedAfterMs.toFixed(1)} ms later: ${reads.map(({ name }, index) => `${name} ${statuses[index]}`).join(', ')}\n`);
    return { refusedEverywhere: statuses.every((status) => status === refused), answerMs: answered - sent, triedAfterMs };
  } finally {
    for (const connection of connections) connection.close();
  }
}

async function acceptedBy(connection, request, name) {
  const deadline = performance.now() + ACCEPT_LIMIT_MS;
  for (;;) {
    const status = await connection.send(request);
    if (status === 200) return;
    if (performance.now() > deadline) throw new Error(`${name} did not accept the new credential within ${ACCEPT_LIMIT_MS} ms: ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** The admin's client (every resource service's read scope and product's write) and the key service's admin key. */
async function adminSetup(stack) {
  const login = await post(`${stack.urls.auth}/auth/login`, JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }), { 'content-type': 'application/json' });
  const { access_token: adminToken } = await login.json();
  const scopes = ['billing:read', 'usage-tracking:read', 'settings:read', 'product:read', 'product:write'];
  const created = await post(`${stack.urls.auth}/admin/clients`, JSON.stringify({ name: 'bench', scopes }), { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' });
  const client = await created.json();
  const secrets = JSON.parse(readFileSync(join(stack.dataDir, 'secrets.json'), 'utf8'));
  return { client, keyHeaders: { 'x-algolia-application-id': APPLICATION_ID, 'x-algolia-api-key': secrets.API_KEYS_ADMIN_KEY } };
}

async function createSearchKey(stack, admin) {
  const created = await post(`${stack.urls['api-keys']}/1/keys`, JSON.stringify({ acl: ['search'] }), { ...admin.keyHeaders, 'content-type': 'application/json' });
  return (await created.json()).key;
}

async function clientToken(stack, client, scope) {
  const response = await post(
    `${stack.urls.auth}/oauth/token`,
    new URLSearchParams({ grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret, ...(scope ? { scope } : {}) }),
    { 'content-type': 'application/x-www-form-urlencoded' },
  );
  return (await response.json()).access_token;
}

/** A read each resource service answers for the bench client's token. */
function readPathOf(name) {
  const from = new Date(Date.UTC(new Date().getUTCFullYear(), 0, 1)).toISOString();
  const to = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 0, 1)).toISOString();
  return { billing: '/invoices', 'usage-tracking': `/usage/summary?from=${from}&to=${to}`, settings: '/settings', product: '/products' }[name];
}

/**
 * Each service busy for `seconds` with what it is for, its RSS read at the end: auth logs in
 * and issues tokens, the key service describes a key, the resource services answer a guarded
 * read, product also searches a catalog of PRODUCTS with a search key.
 */
async function underLoad(stack, admin, seconds) {
  const token = await clientToken(stack, admin.client);
  await indexCatalog(stack, await clientToken(stack, admin.client, 'product:write'));
  const searchKey = await createSearchKey(stack, admin);
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const runs = {
    login: ['auth', { method: 'POST', path: '/auth/login', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }), connections: 4 }],
    tokenIssuing: ['auth', { method: 'POST', path: '/oauth/token', headers: form, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: admin.client.client_id, client_secret: admin.client.client_secret }).toString() }],
    keyLookup: ['api-keys', { path: `/1/keys/${encodeURIComponent(searchKey)}`, headers: admin.keyHeaders }],
    search: ['product', { path: '/1/indexes/products?query=lamp&hitsPerPage=8', headers: { 'x-algolia-application-id': APPLICATION_ID, 'x-algolia-api-key': searchKey } }],
    ...Object.fromEntries(RESOURCE_SERVICES.map((name) => [`${name}Read`, [name, { path: readPathOf(name), headers: { authorization: `Bearer ${token}` } }]])),
  };
  const perSecond = {};
  const loadedRssMb = {};
  for (const [name, [service, request]] of Object.entries(runs)) {
    const result = await autocannon({ url: `${stack.urls[service]}${request.path}`, method: request.method ?? 'GET', headers: request.headers, body: request.body, connections: request.connections ?? 16, duration: seconds });
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    perSecond[name] = Math.round(result.requests.average);
    loadedRssMb[service] = Math.max(loadedRssMb[service] ?? 0, rssMb(stack.pids[service]));
  }
  return { throughput: { loginPerSecond: perSecond.login, tokenIssuingPerSecond: perSecond.tokenIssuing, searchPerSecond: perSecond.search, guardedReadsPerSecond: Object.fromEntries(RESOURCE_SERVICES.map((name) => [name, perSecond[`${name}Read`]])) }, loadedRssMb };
}

/** PRODUCTS products through Algolia's batch endpoint, in batches of 250 (as its clients send them: JSON as text/plain). */
async function indexCatalog(stack, token) {
  const nouns = ['Lamp', 'Shirt', 'Kettle', 'Chair', 'Desk', 'Speaker', 'Ball', 'Towel', 'Novel', 'Rake'];
  const product = (index) => ({ name: `${nouns[index % nouns.length]} ${index}`, description: `A ${nouns[index % nouns.length].toLowerCase()}, model ${index}`, price: 100 + ((index * 7919) % 20_000), currency: 'EUR' });
  for (let start = 0; start < PRODUCTS; start += 250) {
    const requests = Array.from({ length: Math.min(250, PRODUCTS - start) }, (_, offset) => ({ action: 'addObject', body: product(start + offset) }));
    await post(`${stack.urls.product}/1/indexes/products/batch`, JSON.stringify({ requests }), { authorization: `Bearer ${token}`, 'content-type': 'text/plain' });
  }
}

async function post(url, body, headers) {
  const response = await fetch(url, { method: 'POST', headers, body });
  if (response.status >= 300) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return response;
}

/** `npm start`'s launcher on spare ports with a temporary DATA_DIR; resolves once it says every service is ready. */
async function startStack(redisUrl) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sso-bench-stack-'));
  const ports = Object.fromEntries(await Promise.all(STACK.map(async (name) => [name, await sparePort()])));
  const portEnv = Object.fromEntries(STACK.map((name) => [`${name.toUpperCase().replaceAll('-', '_')}_PORT`, String(ports[name])]));
  const launcher = spawn(process.execPath, [LAUNCHER, '--no-build'], {
    env: {
      PATH: process.env.PATH,
      ...portEnv,
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      REDIS_URL: redisUrl,
      REDIS_NAMESPACE: 'bench-stack:',
      LOG_LEVEL: 'warn',
      AUTH_ADMIN_PASSWORD: ADMIN_PASSWORD,
      // The login run signs the admin in thousands of times from one address.
      AUTH_LOGIN_MAX_FAILURES_PER_USER: '1000',
      AUTH_LOGIN_MAX_ATTEMPTS_PER_IP: '100000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  launcher.stdout.on('data', (chunk) => (output += chunk));
  launcher.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => launcher.once('exit', resolve));
  const stop = async () => {
    if (launcher.exitCode === null) launcher.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the stack was not ready within 120 s:\n${output}`)), 120_000);
      launcher.stdout.on('data', () => /services are ready/.test(output) && (clearTimeout(timer), resolve()));
      launcher.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the stack's launcher exited (${code}):\n${output}`))));
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const urls = Object.fromEntries(STACK.map((name) => [name, `http://127.0.0.1:${ports[name]}`]));
  return { dataDir, ports, urls, pids: servicePids(launcher.pid), stop };
}

/** The pid of each service the launcher started, by the main.js it runs. */
function servicePids(launcherPid) {
  const pids = {};
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const parent = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      if (parent !== launcherPid) continue;
      const main = /apps\/([^/]+)\/dist\/main\.js/.exec(readFileSync(`/proc/${entry}/cmdline`, 'utf8'));
      if (main) pids[main[1]] = Number(entry);
    } catch {
      // a process that ended meanwhile
    }
  }
  return pids;
}
