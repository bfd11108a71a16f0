#!/usr/bin/env node
// `npm run bench`: what authorization costs, measured side by side on this machine. Starts what
// it measures (a Redis of its own, a test issuer, a bare Nest app guarded by @sso/auth), runs
// each pair interleaved over several rounds, prints a table of medians with min–max, and writes
// bench/results/latest.json. Needs the built libraries and services (the npm script builds them).
import { execFileSync, spawn } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createClient } from 'redis';
import { ApiKeyWriter, markProjectionsWhole, startRedisServer, TestIssuer } from '@sso/testing/fixtures';
import { sendDistinct } from './distinct-requests.mjs';
import { serialisedGet } from './http-connection.mjs';
import { quantile, sendPaced } from './paced-requests.mjs';
import { cpuMicros, rssMb } from './proc-stats.mjs';
import { idleMemoryOf } from './service-memory.mjs';
import { measureStack } from './stack-figures.mjs';

/** The six services of the stack (CONTRACT.md); the console demo app is measured beside them. */
const SERVICES = ['auth', 'api-keys', 'billing', 'usage-tracking', 'settings', 'product'];

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS_PER_RUN = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = 16;
/** Requests per fresh-token run: each one brings a token the app has never seen. */
const FRESH_REQUESTS = Number(process.env.BENCH_FRESH_REQUESTS ?? 3_000);
const FRESH_ROUNDS = 3;
/** Revocations and key deletions tried at each delay, each on its own credential. */
const TRIALS = Number(process.env.BENCH_TRIALS ?? 200);
/** Keep-alive connections of the fixed-rate runs: enough that a stall queues requests rather than connections. */
const PACED_CONNECTIONS = 32;
const NAMESPACE = 'bench:';
const KEY_SECRET = 'bench-key-encryption-secret';
const here = (path) => fileURLToPath(new URL(path, import.meta.url));

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
  const app = await startApp('./guard-app.mjs', { ISSUER: issuer.issuer, REDIS_URL: redisUrl, NAMESPACE, API_KEYS_SECRET: KEY_SECRET, ...(process.env.TOKEN_CACHE_SIZE ? { TOKEN_CACHE_SIZE: process.env.TOKEN_CACHE_SIZE } : {}) });
  const naive = await startApp('./naive-guard-app.mjs', { ISSUER: issuer.issuer, REDIS_URL: redisUrl });
  const onFastify = await startApp('./guard-app.mjs', { ADAPTER: 'fastify', ISSUER: issuer.issuer, REDIS_URL: redisUrl, NAMESPACE, API_KEYS_SECRET: KEY_SECRET });

  const token = await sign();
  const routes = {
    open: { path: '/open', headers: {} },
    guarded: { path: '/guarded', headers: { authorization: `Bearer ${token}` } },
    keyed: { path: '/keyed', headers: { 'x-algolia-application-id': 'SSODEMO', 'x-algolia-api-key': apiKey } },
  };
  for (const target of [app, onFastify]) for (const route of Object.values(routes)) await expectOk(target.url, route);
  await expectOk(naive.url, routes.guarded);
  // Warm-up: the JIT and the connections settle before anything counts.
  for (const target of [app, onFastify]) for (const route of Object.values(routes)) await load(target.url, route);
  await load(naive.url, routes.guarded);

  // Throughput, twins side by side: each round runs them in turn, the order alternating. The
  // hand-rolled guard's twin is ours, with the same token.
  const ratios = { guarded: [], keyed: [], naiveReused: [] };
  const openRates = [];
  const redisCalls = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const twin of ['guarded', 'keyed', 'naive']) {
      const pair = twin === 'naive' ? [['ours', app, routes.guarded], ['naive', naive, routes.guarded]] : [['open', app, routes.open], [twin, app, routes[twin]]];
      const rates = {};
      for (const [name, target, route] of round % 2 === 0 ? pair : [...pair].reverse()) {
        const before = await commandCalls(redis);
        const run = await load(target.url, route);
        if (name === 'guarded') redisCalls.push(((await commandCalls(redis)) - before) / run.requests);
        rates[name] = run.requestsPerSecond;
      }
      if (twin === 'naive') ratios.naiveReused.push(rates.ours / rates.naive);
      else ratios[twin].push(rates[twin] / rates.open);
      if (rates.open) openRates.push(rates.open);
    }
  }

  // The same app on Nest's two HTTP adapters, Express (the services') and Fastify: req/s of the
  // public and the guarded route, each pair interleaved.
  const adapterRates = { express: { open: [], guarded: [] }, fastify: { open: [], guarded: [] } };
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const name of ['open', 'guarded']) {
      const pair = [['express', app], ['fastify', onFastify]];
      for (const [adapter, target] of round % 2 === 0 ? pair : [...pair].reverse()) adapterRates[adapter][name].push((await load(target.url, routes[name])).requestsPerSecond);
    }
  }
  const adapters = Object.fromEntries(
    Object.entries(adapterRates).map(([adapter, rates]) => [adapter, { openPerSecond: Math.round(median(rates.open)), guardedPerSecond: Math.round(median(rates.guarded)), rssMb: rssMb(adapter === 'express' ? app.pid : onFastify.pid) }]),
  );
  await onFastify.stop();

  // Latency at a fixed rate, half of what the public twin can do: p99 of the guarded route
  // (reused token) over p99 of its twin, interleaved, each latency counted from when its
  // request was due.
  const pacedRate = Math.round(median(openRates) / 2);
  const p99 = { open: [], guarded: [], ratio: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? ['open', 'guarded'] : ['guarded', 'open'];
    for (const name of order) p99[name].push(await pacedP99(app, routes[name], pacedRate));
    p99.ratio.push(p99.guarded.at(-1) / p99.open.at(-1));
  }

  // Fresh tokens: the app's CPU time per request, each request with a token never seen before,
  // against the public twin sent the very same requests (the same new tokens, which a public
  // route ignores), so the load generator and the bytes are alike and only the guard differs;
  // divided by one bare RS256 signature check measured in this run.
  const freshCost = [];
  const bareVerify = [];
  const appCpu = { open: [], fresh: [] };
  for (let round = 0; round < FRESH_ROUNDS; round += 1) {
    const fresh = await Promise.all(Array.from({ length: FRESH_REQUESTS }, sign));
    const openRun = await cpuPerRequest(app, routes.open, fresh);
    const freshRun = await cpuPerRequest(app, routes.guarded, fresh);
    const verifyMicros = bareSignatureCheck(fresh, publicKey);
    bareVerify.push(verifyMicros);
    appCpu.open.push(openRun.cpuMicros);
    appCpu.fresh.push(freshRun.cpuMicros);
    freshCost.push((freshRun.cpuMicros - openRun.cpuMicros) / verifyMicros);
  }

  // The hand-rolled guard with tokens it has never seen, against ours with tokens it has never
  // seen either: requests per second of wall time, the order alternating.
  ratios.naiveFresh = [];
  for (let round = 0; round < FRESH_ROUNDS; round += 1) {
    const fresh = await Promise.all(Array.from({ length: FRESH_REQUESTS }, sign));
    const rates = {};
    const order = round % 2 === 0 ? [['ours', app], ['naive', naive]] : [['naive', naive], ['ours', app]];
    for (const [name, target] of order) rates[name] = (await cpuPerRequest(target, routes.guarded, fresh)).requestsPerSecond;
    ratios.naiveFresh.push(rates.ours / rates.naive);
  }

  await app.stop();
  await naive.stop();
  const stack = await measureStack({ redisUrl, trials: TRIALS, seconds: SECONDS_PER_RUN });

  const importMb = [1, 2, 3, 4, 5].map(() => importMemory('@sso/auth'));
  markProjectionsWhole(redisUrl, 'bench-memory:');
  const idleMb = await idleMemoryOf([...SERVICES, 'console'], { redisUrl, namespace: 'bench-memory:', extraEnv: { console: { CONSOLE_CLIENT_ID: 'bench', CONSOLE_CLIENT_SECRET: 'bench' } } });
  const stackIdleMb = Math.round(SERVICES.reduce((sum, name) => sum + idleMb[name], 0));
  return {
    measuredAt: new Date().toISOString(),
    machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}` },
    method: { rounds: ROUNDS, secondsPerRun: SECONDS_PER_RUN, connections: CONNECTIONS, freshRequestsPerRun: FRESH_REQUESTS, freshRounds: FRESH_ROUNDS, algorithm: 'RS256' },
    guardedOverUnguarded: round2(median(ratios.guarded)),
    p99GuardedOverUnguarded: round2(median(p99.ratio)),
    oursOverNaive: { reusedToken: round2(median(ratios.naiveReused)), freshToken: round2(median(ratios.naiveFresh)) },
    apiKeyOverUnguarded: round2(median(ratios.keyed)),
    freshTokenCostOverVerify: round2(median(freshCost)),
    redisCallsPerRequest: median(redisCalls),
    revocationPropagationP99Ms: stack.revocationPropagationP99Ms,
    keyDeletePropagationP99Ms: stack.keyDeletePropagationP99Ms,
    guardLibraryImportMb: round2(median(importMb)),
    servicesIdleRssMb: idleMb,
    servicesLoadedRssMb: stack.servicesLoadedRssMb,
    stackIdleRssMb: stackIdleMb,
    throughput: stack.throughput,
    adapters,
    details: {
      guardedOverUnguarded: summary(ratios.guarded),
      p99GuardedOverUnguarded: summary(p99.ratio),
      p99Ms: { rate: pacedRate, publicTwin: summary(p99.open), guarded: summary(p99.guarded) },
      oursOverNaiveReused: summary(ratios.naiveReused),
      oursOverNaiveFresh: summary(ratios.naiveFresh),
      apiKeyOverUnguarded: summary(ratios.keyed),
      freshTokenCostOverVerify: summary(freshCost),
      bareSignatureCheckMicros: summary(bareVerify),
      appCpuMicrosPerRequest: { publicTwin: summary(appCpu.open), freshToken: summary(appCpu.fresh) },
      redisCallsPerRequest: summary(redisCalls),
      guardLibraryImportMb: summary(importMb),
      propagation: stack.details,
    },
  };
}

/** One autocannon run of SECONDS_PER_RUN against a route; throws on any non-2xx answer. */
async function load(url, route) {
  const result = await autocannon({ url: `${url}${route.path}`, headers: route.headers, connections: CONNECTIONS, duration: SECONDS_PER_RUN });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${route.path}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { requests: result.requests.total, requestsPerSecond: result.requests.average };
}

/**
 * One request per token, each token in its Authorization header, as fast as the app answers:
 * microseconds of the app's CPU (user + system) per request, and requests per second of wall time.
 */
async function cpuPerRequest(app, route, tokens) {
  const before = cpuMicros(app.pid);
  const started = performance.now();
  const statuses = await sendDistinct({ port: app.port, path: route.path, headerSets: tokens.map((token) => ({ authorization: `Bearer ${token}` })), connections: CONNECTIONS });
  const elapsedMs = performance.now() - started;
  const used = cpuMicros(app.pid) - before;
  if (process.env.BENCH_DEBUG) process.stderr.write(`${route.path} (${app.pid}): ${tokens.length} in ${elapsedMs.toFixed(0)} ms, app CPU ${(used / 1000).toFixed(0)} ms\n`);
  if (statuses.get(200) !== tokens.length) throw new Error(`${route.path}: answers ${JSON.stringify([...statuses])}`);
  return { cpuMicros: used / tokens.length, requestsPerSecond: tokens.length / (elapsedMs / 1000) };
}

/** p99 latency in ms of SECONDS_PER_RUN at `rate` requests a second; throws on any answer but 200. */
async function pacedP99(app, route, rate) {
  const request = serialisedGet({ port: app.port, path: route.path, headers: route.headers });
  const { latencies, statuses } = await sendPaced({ port: app.port, request, ratePerSecond: rate, seconds: SECONDS_PER_RUN, connections: PACED_CONNECTIONS });
  if (statuses.get(200) !== latencies.length) throw new Error(`${route.path}: answers ${JSON.stringify([...statuses])}`);
  return quantile(latencies, 0.99);
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

async function startApp(script, env) {
  const child = spawn(process.execPath, [here(script)], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  stops.push(stop);
  const port = await new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /"port":(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, port, pid: child.pid, stop };
}

function printTable(results) {
  const { details } = results;
  const rows = [
    ['guardedOverUnguarded', details.guardedOverUnguarded, '≥ 0.95', 'req/s of a token-guarded route (one reused token) ÷ its public twin'],
    ['p99GuardedOverUnguarded', details.p99GuardedOverUnguarded, '≤ 1.15', `p99 latency of the guarded route ÷ its twin's, at ${details.p99Ms.rate} req/s (half the twin's maximum)`],
    ['oursOverNaive (reused)', details.oursOverNaiveReused, '≥ 2.5', 'req/s of our guard ÷ passport-jwt + jwks-rsa + a Redis GET, one reused token'],
    ['oursOverNaive (fresh)', details.oursOverNaiveFresh, '≥ 2.5', 'the same with a never-seen token per request'],
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
  const { revocation, keyDelete } = details.propagation;
  const ladder = ({ p99Ms, refusedShareByDelayMs, trialsPerDelay }) =>
    `${p99Ms === null ? 'p99 > 500 ms' : p99Ms === 0 ? 'p99 0 ms: refused by the time the answer came' : `p99 ≤ ${p99Ms} ms`} (refused everywhere, by delay after the answer: ${Object.entries(refusedShareByDelayMs).map(([delay, share]) => `${delay} ms ${(share * 100).toFixed(1)}%`).join(', ')}; ${trialsPerDelay} trials each)`;
  process.stdout.write(`revocation at auth → refused at all four resource services (goal ≤ 10 ms): ${ladder(revocation)}; auth answers a revocation in ${revocation.answerMs.p50.toFixed(1)} ms (p99 ${revocation.answerMs.p99.toFixed(1)})\n`);
  process.stdout.write(`key deleted → refused at product (goal ≤ 10 ms): ${ladder(keyDelete)}; the key service answers a deletion in ${keyDelete.answerMs.p50.toFixed(1)} ms (p99 ${keyDelete.answerMs.p99.toFixed(1)})\n`);
  const loaded = Object.entries(results.servicesLoadedRssMb).map(([name, mb]) => `${name} ${mb.toFixed(0)}`).join(', ');
  process.stdout.write(`RSS under load (MB): ${loaded}\n`);
  const { throughput } = results;
  const reads = Object.entries(throughput.guardedReadsPerSecond).map(([name, rate]) => `${name} ${rate}`).join(', ');
  const { express, fastify } = results.adapters;
  process.stdout.write(`adapters (req/s, medians): Express public ${express.openPerSecond}, guarded ${express.guardedPerSecond}, RSS ${express.rssMb} MB; Fastify public ${fastify.openPerSecond}, guarded ${fastify.guardedPerSecond}, RSS ${fastify.rssMb} MB\n`);
  process.stdout.write(`throughput (req/s, the stack on SQLite): login ${throughput.loginPerSecond}, client_credentials token ${throughput.tokenIssuingPerSecond}, search ${throughput.searchPerSecond}; guarded reads ${reads}\n`);
}
