#!/usr/bin/env node
// `npm run bench`: what authorization costs, measured side by side on this machine. Starts what
// it measures (a Redis of its own, a test issuer, a bare Nest app guarded by @sso/auth), runs
// each pair interleaved over several rounds, prints a table of medians with min–max, and writes
// bench/results/latest.json. Needs the built libraries and services (the npm script builds them).
import { execFileSync, spawn } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createClient } from 'redis';
import { ApiKeyWriter, markProjectionsWhole, startRedisServer, TestIssuer } from '@sso/testing/fixtures';
import { sendDistinct } from './distinct-requests.mjs';
import { idleMemoryOf } from './service-memory.mjs';

/** The six services of the stack (CONTRACT.md); the console demo app is measured beside them. */
const SERVICES = ['auth', 'api-keys', 'billing', 'usage-tracking', 'settings', 'product'];

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS_PER_RUN = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = 16;
/** Requests per fresh-token run: each one brings a token the app has never seen. */
const FRESH_REQUESTS = Number(process.env.BENCH_FRESH_REQUESTS ?? 3_000);
const FRESH_ROUNDS = 3;
const NAMESPACE = 'bench:';
const KEY_SECRET = 'bench-key-encryption-secret';
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const summary = (values) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length });
const round2 = (value) => Math.round(value * 100) / 100;

const stops = [];
try {
  const results = await measure();
  const file = here('./results/latest.json');
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
  process.stdout.write(`\nWritten to ${file}\n`);
} finally {
  for (const stop of stops.reverse()) await stop();
}

async function measure() {
  const redisServer = await startRedisServer();
  stops.push(() => redisServer.stop());
  const redisUrl = redisServer.url;
  const issuer = await new TestIssuer().start();
  stops.push(() => issuer.close());
  const signingKey = await issuer.addKey('RS256');
  const publicKey = createPublicKey({ key: signingKey.publicJwk, format: 'jwk' });
  const sign = () => issuer.sign({ aud: ['bench'], scope: 'bench:read' });
  const redis = createClient({ url: redisUrl, RESP: 2 });
  await redis.connect();
  stops.push(() => redis.quit());
  markProjectionsWhole(redisUrl, NAMESPACE);
  const keys = await new ApiKeyWriter(redisUrl, NAMESPACE, KEY_SECRET).connect();
  stops.push(() => keys.close());
  const { key: apiKey } = await keys.create({ acl: ['search'] });
  const app = await startGuardApp({ ISSUER: issuer.issuer, REDIS_URL: redisUrl, NAMESPACE, API_KEYS_SECRET: KEY_SECRET, ...(process.env.TOKEN_CACHE_SIZE ? { TOKEN_CACHE_SIZE: process.env.TOKEN_CACHE_SIZE } : {}) });

  const token = await sign();
  const routes = {
    open: { path: '/open', headers: {} },
    guarded: { path: '/guarded', headers: { authorization: `Bearer ${token}` } },
    keyed: { path: '/keyed', headers: { 'x-algolia-application-id': 'SSODEMO', 'x-algolia-api-key': apiKey } },
  };
  for (const route of Object.values(routes)) await expectOk(app.url, route);
  // Warm-up: the JIT and the connections settle before anything counts.
  for (const route of Object.values(routes)) await load(app.url, route);

  // Throughput, twins side by side: each round runs them in turn, the order alternating.
  const ratios = { guarded: [], keyed: [] };
  const redisCalls = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const twin of ['guarded', 'keyed']) {
      const order = round % 2 === 0 ? ['open', twin] : [twin, 'open'];
      const rates = {};
      for (const name of order) {
        const before = await commandCalls(redis);
        const run = await load(app.url, routes[name]);
        if (name === 'guarded') redisCalls.push(((await commandCalls(redis)) - before) / run.requests);
        rates[name] = run.requestsPerSecond;
      }
      ratios[twin].push(rates[twin] / rates.open);
    }
  }

  // Fresh tokens: the app's CPU time per request, each request with a token never seen before,
  // against the public twin sent the very same requests (the same new tokens, which a public
  // route ignores), so the load generator and the bytes are alike and only the guard differs;
  // divided by one bare RS256 signature check measured in this run.
  const freshCost = [];
  const bareVerify = [];
  const cpuMicros = { open: [], fresh: [] };
  for (let round = 0; round < FRESH_ROUNDS; round += 1) {
    const fresh = await Promise.all(Array.from({ length: FRESH_REQUESTS }, sign));
    const openCpu = await cpuPerRequest(app, routes.open, fresh);
    const freshCpu = await cpuPerRequest(app, routes.guarded, fresh);
    const verifyMicros = bareSignatureCheck(fresh, publicKey);
    bareVerify.push(verifyMicros);
    cpuMicros.open.push(openCpu);
    cpuMicros.fresh.push(freshCpu);
    freshCost.push((freshCpu - openCpu) / verifyMicros);
  }

  const importMb = [1, 2, 3, 4, 5].map(() => importMemory('@sso/auth'));
  markProjectionsWhole(redisUrl, 'bench-memory:');
  const idleMb = await idleMemoryOf([...SERVICES, 'console'], { redisUrl, namespace: 'bench-memory:', extraEnv: { console: { CONSOLE_CLIENT_ID: 'bench', CONSOLE_CLIENT_SECRET: 'bench' } } });
  const stackIdleMb = Math.round(SERVICES.reduce((sum, name) => sum + idleMb[name], 0));
  return {
    measuredAt: new Date().toISOString(),
    machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}` },
    method: { rounds: ROUNDS, secondsPerRun: SECONDS_PER_RUN, connections: CONNECTIONS, freshRequestsPerRun: FRESH_REQUESTS, freshRounds: FRESH_ROUNDS, algorithm: 'RS256' },
    guardedOverUnguarded: round2(median(ratios.guarded)),
    apiKeyOverUnguarded: round2(median(ratios.keyed)),
    freshTokenCostOverVerify: round2(median(freshCost)),
    redisCallsPerRequest: median(redisCalls),
    guardLibraryImportMb: round2(median(importMb)),
    servicesIdleRssMb: idleMb,
    stackIdleRssMb: stackIdleMb,
    details: {
      guardedOverUnguarded: summary(ratios.guarded),
      apiKeyOverUnguarded: summary(ratios.keyed),
      freshTokenCostOverVerify: summary(freshCost),
      bareSignatureCheckMicros: summary(bareVerify),
      appCpuMicrosPerRequest: { publicTwin: summary(cpuMicros.open), freshToken: summary(cpuMicros.fresh) },
      redisCallsPerRequest: summary(redisCalls),
      guardLibraryImportMb: summary(importMb),
    },
    notMeasuredYet: [
      'p99GuardedOverUnguarded',
      'revocationPropagationP99Ms',
      'keyDeletePropagationP99Ms',
      'oursOverNaive',
      'servicesLoadedRssMb',
      'loginThroughput',
      'tokenIssuingThroughput',
      'searchThroughput',
    ],
  };
}

/** One autocannon run of SECONDS_PER_RUN against a route; throws on any non-2xx answer. */
async function load(url, route) {
  const result = await autocannon({ url: `${url}${route.path}`, headers: route.headers, connections: CONNECTIONS, duration: SECONDS_PER_RUN });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${route.path}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { requests: result.requests.total, requestsPerSecond: result.requests.average };
}

/** Microseconds of the app's CPU (user + system) per request, one request per token, each token in its Authorization header. */
async function cpuPerRequest(app, route, tokens) {
  const before = processCpuMicros(app.pid);
  const started = Date.now();
  const statuses = await sendDistinct({ port: app.port, path: route.path, headerSets: tokens.map((token) => ({ authorization: `Bearer ${token}` })), connections: CONNECTIONS });
  const used = processCpuMicros(app.pid) - before;
  if (process.env.BENCH_DEBUG) process.stderr.write(`${route.path}: ${tokens.length} in ${Date.now() - started} ms, app CPU ${(used / 1000).toFixed(0)} ms\n`);
  if (statuses.get(200) !== tokens.length) throw new Error(`${route.path}: answers ${JSON.stringify([...statuses])}`);
  return used / tokens.length;
}

function processCpuMicros(pid) {
  // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised command): utime, stime.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6;
}

/** Microseconds of one RS256 signature check with node:crypto, over the given tokens (split only to hand node:crypto its input). */
function bareSignatureCheck(tokens, publicKey) {
  const signed = tokens.map((token) => {
    const end = token.lastIndexOf('.');
    return [Buffer.from(token.slice(0, end)), Buffer.from(token.slice(end + 1), 'base64url')];
  });
  const started = process.hrtime.bigint();
  for (const [input, signature] of signed) if (!verify('sha256', input, publicKey, signature)) throw new Error('a token did not verify');
  return Number(process.hrtime.bigint() - started) / 1e3 / signed.length;
}

function importMemory(module) {
  const output = execFileSync(process.execPath, ['--expose-gc', here('./import-memory.mjs'), module], { encoding: 'utf8' });
  return JSON.parse(output).addedMb;
}

/** Every command Redis has served so far (INFO commandstats), but the benchmark's own INFO. */
async function commandCalls(redis) {
  const info = await redis.info('commandstats');
  return [...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].filter(([, command]) => command !== 'info').reduce((sum, [, , calls]) => sum + Number(calls), 0);
}

async function expectOk(url, route) {
  const response = await fetch(`${url}${route.path}`, { headers: route.headers });
  if (response.status !== 200) throw new Error(`${route.path} answered ${response.status}: ${await response.text()}`);
}

async function startGuardApp(env) {
  const child = spawn(process.execPath, [here('./guard-app.mjs')], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  stops.push(async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  });
  const port = await new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /"port":(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the guarded app exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, port, pid: child.pid };
}

function printTable(results) {
  const { details } = results;
  const rows = [
    ['guardedOverUnguarded', details.guardedOverUnguarded, '≥ 0.95', 'req/s of a token-guarded route (one reused token) ÷ its public twin'],
    ['apiKeyOverUnguarded', details.apiKeyOverUnguarded, '≥ 0.95', 'req/s of an API-key route (one cached key) ÷ its public twin'],
    ['freshTokenCostOverVerify', details.freshTokenCostOverVerify, '≤ 2.0', 'extra app CPU per request with a never-seen token ÷ one bare RS256 check'],
    ['redisCallsPerRequest', details.redisCallsPerRequest, '≤ 0.01', 'Redis commands per guarded request (INFO commandstats)'],
    ['guardLibraryImportMb', details.guardLibraryImportMb, '≤ 15', 'RSS that importing @sso/auth adds to a bare Nest process'],
  ];
  const number = (value) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(Math.abs(value) >= 10 ? 1 : 3));
  process.stdout.write(`\n${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGb} GB, Node ${results.machine.node}\n\n`);
  process.stdout.write(`${'figure'.padEnd(26)}${'median'.padStart(9)}  ${'min–max'.padEnd(17)}${'goal'.padEnd(9)}meaning\n`);
  for (const [name, { median: middle, min, max }, goal, meaning] of rows) {
    process.stdout.write(`${name.padEnd(26)}${number(middle).padStart(9)}  ${`${number(min)}–${number(max)}`.padEnd(17)}${goal.padEnd(9)}${meaning}\n`);
  }
  const cpu = details.appCpuMicrosPerRequest;
  process.stdout.write(`\nbare RS256 signature check: ${details.bareSignatureCheckMicros.median.toFixed(1)} µs; app CPU per request: public twin ${cpu.publicTwin.median.toFixed(0)} µs, fresh token ${cpu.freshToken.median.toFixed(0)} µs (medians)\n`);
  const idle = Object.entries(results.servicesIdleRssMb).map(([name, mb]) => `${name} ${mb.toFixed(0)}`).join(', ');
  process.stdout.write(`idle RSS (MB, goal ≤ 90 each): ${idle}; the six services together: ${results.stackIdleRssMb} MB (goal ≤ 550)\n`);
  process.stdout.write(`not measured yet: ${results.notMeasuredYet.join(', ')}\n`);
}
