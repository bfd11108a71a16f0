#!/usr/bin/env node
// `npm run test:compose`: the stack as `docker compose up` runs it, tested from the outside.
// It makes sure a Docker engine runs (installing and starting one when missing) and that the
// base images exist, builds the image, starts the whole stack from a .env written by
// `npm run compose:env` (settings scaled to two replicas), and drives it only through the
// ports it publishes on 127.0.0.1. Then it restarts a service and the whole project and checks
// that nothing was lost. It fails, never skips, when any of that cannot be done, prints the
// time of every step, and removes its containers, networks and volumes (and stops a Docker
// engine it started) when it ends.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const here = join(root, 'tools/compose');
const PROJECT = process.env.COMPOSE_TEST_PROJECT ?? 'sso-compose-test';
// A tag of its own, so the test never replaces the image a stack of one's own runs.
const IMAGE = process.env.SSO_IMAGE ?? 'sso-ecosystem:compose-test';
const HEALTHY_TIMEOUT_MS = 240_000;
const LOGOUT_DEADLINE_MS = 1_000;
const PUBLISHED_PORTS = { auth: 3000, 'api-keys': 3001, billing: 3002, 'usage-tracking': 3003, product: 3005 };
const SETTINGS_REPLICAS = 2;

const startedAt = Date.now();
const timings = [];
let stepStarted = Date.now();
let currentStep = '';
function step(name) {
  finishStep();
  currentStep = name;
  stepStarted = Date.now();
  process.stdout.write(`\n--- ${name}\n`);
}
function finishStep() {
  if (currentStep) timings.push([currentStep, (Date.now() - stepStarted) / 1000]);
  currentStep = '';
}
const note = (line) => process.stdout.write(`    ${line}\n`);
const bearer = (token) => ({ authorization: `Bearer ${token}` });
const megabytes = (bytes) => (Number(bytes) / 1e6).toFixed(0);
const sameSet = (a, b) => a.length === b.length && a.every((item) => b.includes(item));

class CheckFailed extends Error {}
function check(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

/** Runs a command; its output is kept and shown only when it fails (or when asked). */
function run(command, args, { allowFailure = false, show = false, env } = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error) throw new CheckFailed(`${command} could not run: ${result.error.message}`);
  if (show) process.stdout.write(output.replace(/^/gm, '    '));
  if (result.status !== 0 && !allowFailure) {
    throw new CheckFailed(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${output.split('\n').slice(-40).join('\n')}`);
  }
  return { status: result.status, output, stdout: result.stdout ?? '' };
}

const composeCommand = (() => {
  let chosen;
  return () => {
    if (chosen) return chosen;
    const v2 = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    chosen = v2.status === 0 ? ['docker', ['compose']] : ['docker-compose', []];
    return chosen;
  };
})();
function compose(envFile, args, options) {
  const [command, prefix] = composeCommand();
  options = { ...options, env: { SSO_IMAGE: IMAGE, ...options?.env } };
  return run(command, [...prefix, '--project-name', PROJECT, '--env-file', envFile, '--file', join(root, 'docker-compose.yml'), ...args], options);
}

class Api {
  constructor(urls, settingsUrls) {
    this.urls = urls;
    this.settingsUrls = settingsUrls;
  }

  call(service, path, token, { method = 'GET', body } = {}) {
    return fetch(`${this.urls[service]}${path}`, {
      method,
      headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async login(username, password) {
    const response = await fetch(`${this.urls.auth}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    check(response.status === 200, `login as ${username} answered ${response.status}`);
    return (await response.json()).access_token;
  }

  /** One read per resource service and per settings replica: their statuses. */
  async readEverywhere(token, month) {
    const responses = await Promise.all([
      this.call('billing', '/invoices', token),
      this.call('usage-tracking', `/usage/summary?from=${month.from}&to=${month.to}`, token),
      this.call('product', '/products', token),
      ...this.settingsUrls.map((url) => fetch(`${url}/settings`, { headers: bearer(token) })),
    ]);
    return responses.map((response) => response.status);
  }

  async kids() {
    const { keys } = await (await fetch(`${this.urls.auth}/.well-known/jwks.json`)).json();
    return keys.map(({ kid }) => kid);
  }
}

const workDir = mkdtempSync(join(tmpdir(), 'sso-compose-test-'));
const envFile = join(workDir, '.env');
let engineStartedHere = false;
let projectCreated = false;

try {
  step('docker engine');
  const engine = run('bash', [join(here, 'engine.sh')], { show: true });
  engineStartedHere = /started dockerd/.test(engine.output);

  step('base images (pulled, or built locally where no registry answers)');
  // A node stand-in is proven by the project's own build below: no separate check of it.
  run('bash', [join(here, 'base-images.sh')], { show: true, env: { SSO_VERIFY_NODE: '0' } });

  step('npm run compose:env');
  run(process.execPath, [join(here, 'compose-env.mjs'), envFile], { show: true });
  // Two replicas of settings need a free host port each instead of 3004.
  writeFileSync(envFile, `${readFileSync(envFile, 'utf8')}SETTINGS_PUBLISHED_PORT=\n`);
  const secrets = readEnvFile(envFile);
  const busy = (await Promise.all(Object.values(PUBLISHED_PORTS).map(async (port) => ((await portIsFree(port)) ? undefined : port)))).filter(Boolean);
  check(busy.length === 0, `ports ${busy.join(', ')} on 127.0.0.1 are taken: stop what listens there (npm start?) and run this again`);

  step('a missing secret stops `up` and names it');
  const withoutSecret = join(workDir, 'missing.env');
  writeFileSync(withoutSecret, readFileSync(envFile, 'utf8').replace(/^AUTH_KEY_ENCRYPTION_SECRET=.*\n/m, ''));
  projectCreated = true; // were the refusal to fail, what it started must go too
  const refused = compose(withoutSecret, ['up', '-d'], { allowFailure: true });
  check(refused.status !== 0, '`up` started without AUTH_KEY_ENCRYPTION_SECRET');
  check(/set AUTH_KEY_ENCRYPTION_SECRET in \.env/.test(refused.output), `the refusal does not name the missing secret:\n${refused.output}`);
  check(!compose(envFile, ['ps', '-q'], { allowFailure: true }).stdout.trim(), 'a container was created although a secret was missing');
  // Compose v1 quotes the whole environment before the reason; the reason is what matters.
  note(`refused: ${refused.output.trim().split('\n').at(-1).replace(/^.*(in service "[^"]+": )/, '$1')}`);

  step('docker compose build');
  compose(envFile, ['build'], { show: false });
  note(`${IMAGE}: ${megabytes(run('docker', ['image', 'inspect', IMAGE, '--format', '{{.Size}}']).stdout)} MB`);

  step(`docker compose up -d --scale settings=${SETTINGS_REPLICAS}`);
  compose(envFile, ['up', '-d', '--scale', `settings=${SETTINGS_REPLICAS}`]);
  await untilHealthy(envFile, 9);

  const urls = Object.fromEntries(Object.entries(PUBLISHED_PORTS).map(([service, port]) => [service, `http://127.0.0.1:${port}`]));
  const api = new Api(urls, settingsReplicaUrls(envFile));
  note(`settings replicas at ${api.settingsUrls.join(', ')}`);
  const month = currentMonth();

  step('a user, one token at all four services (both settings replicas)');
  const admin = await api.login(secrets.AUTH_ADMIN_USERNAME ?? 'admin', secrets.AUTH_ADMIN_PASSWORD);
  const created = await api.call('auth', '/admin/users', admin, {
    method: 'POST',
    body: { username: 'alice', password: 'alice-password-1', scopes: ['billing:read', 'billing:write', 'usage-tracking:read', 'settings:read', 'settings:write', 'product:read'] },
  });
  check(created.status === 201, `creating a user answered ${created.status}`);
  const alice = (await created.json()).id;
  const token = await api.login('alice', 'alice-password-1');
  check((await api.readEverywhere(token, month)).every((status) => status === 200), 'a fresh token was refused somewhere');
  const saved = await fetch(`${api.settingsUrls[0]}/settings/profile`, { method: 'PUT', headers: { ...bearer(token), 'content-type': 'application/json', 'if-none-match': '*' }, body: '{"theme":"dark"}' });
  check(saved.status === 201, `saving a settings document answered ${saved.status}`);
  note('200 at billing, usage-tracking, product and both settings replicas; a settings document saved');

  step('service to service: product reports usage, billing computes an invoice from it');
  for (let index = 0; index < 3; index++) check((await api.call('product', '/products', token)).status === 200, 'product refused a read');
  const usageOf = async () => ((await (await api.call('usage-tracking', `/usage/summary?subject=${alice}&from=${month.from}&to=${month.to}`, admin)).json()).metrics?.['product.requests'] ?? 0);
  await until(async () => (await usageOf()) >= 3, 'product requests to reach usage-tracking (product calls it with its own client)', 30_000);
  const invoiced = await api.call('billing', '/invoices', token, { method: 'POST', body: { period: month.period } });
  const invoice = await invoiced.json();
  check(invoiced.status === 201, `POST /invoices answered ${invoiced.status}: ${JSON.stringify(invoice)}`);
  const line = invoice.lines.find(({ metric }) => metric === 'product.requests');
  check(line?.quantity >= 3 && invoice.total > 0, `the invoice does not bill the product requests: ${JSON.stringify(invoice)}`);
  note(`invoice ${invoice.id}: ${line.quantity} product requests, total ${invoice.total} ${invoice.currency}`);

  step('an API key reads the catalog');
  const keyResponse = await fetch(`${urls['api-keys']}/1/keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-algolia-application-id': secrets.API_KEYS_APP_ID ?? 'SSODEMO', 'x-algolia-api-key': secrets.API_KEYS_ADMIN_KEY },
    body: JSON.stringify({ acl: ['search'], indexes: ['products'], description: 'compose test' }),
  });
  check(keyResponse.status === 200, `creating an API key answered ${keyResponse.status}`);
  const { key } = await keyResponse.json();
  const withKey = () => fetch(`${urls.product}/products`, { headers: { 'x-algolia-application-id': secrets.API_KEYS_APP_ID ?? 'SSODEMO', 'x-algolia-api-key': key } });
  await until(async () => (await withKey()).status === 200, 'product to accept the new key', 5_000);
  note('the search key reads /products at product');

  step(`logout is refused everywhere within ${LOGOUT_DEADLINE_MS} ms`);
  const session = await api.login('alice', 'alice-password-1');
  check((await api.readEverywhere(session, month)).every((status) => status === 200), 'a fresh token was refused somewhere');
  const loggedOut = await fetch(`${urls.auth}/auth/logout`, { method: 'POST', headers: bearer(session) });
  check(loggedOut.status === 204, `logout answered ${loggedOut.status}`);
  const logoutAt = Date.now();
  await until(async () => (await api.readEverywhere(session, month)).every((status) => status === 401), 'the logout to reach every service', LOGOUT_DEADLINE_MS);
  note(`every service (both settings replicas included) refused the token ${Date.now() - logoutAt} ms after the logout`);

  step('idle memory of each container');
  await new Promise((done) => setTimeout(done, 3_000));
  const ids = compose(envFile, ['ps', '-q']).stdout.trim().split('\n');
  for (const row of run('docker', ['stats', '--no-stream', '--format', '{{.Name}}\t{{.MemUsage}}', ...ids]).stdout.trim().split('\n').sort()) note(row.replace(`${PROJECT}_`, '').replace(`${PROJECT}-`, ''));

  step('restart one service (billing): its data is still there');
  compose(envFile, ['restart', 'billing']);
  await untilHealthy(envFile, 9);
  const afterRestart = await api.call('billing', `/invoices/${invoice.id}`, token);
  check(afterRestart.status === 200 && (await afterRestart.json()).total === invoice.total, 'the invoice did not survive a restart of billing');
  note('the invoice is served again, with the token issued before the restart');

  step('stop and start the whole project: users, keys, signing keys, invoices, settings and revocations survive');
  const kidsBefore = await api.kids();
  compose(envFile, ['stop']);
  compose(envFile, ['start']);
  await untilHealthy(envFile, 9);
  // The replicas' free host ports are drawn again when their containers start.
  api.settingsUrls = settingsReplicaUrls(envFile);
  check(sameSet(await api.kids(), kidsBefore), 'the signing keys changed across the restart');
  check((await api.call('billing', '/invoices', token)).status === 200, 'a token issued before the restart was refused');
  const again = await api.login('alice', 'alice-password-1');
  const stored = await api.call('billing', `/invoices/${invoice.id}`, again);
  check(stored.status === 200 && (await stored.json()).id === invoice.id, 'the invoice did not survive');
  for (const url of api.settingsUrls) {
    const document = await fetch(`${url}/settings/profile`, { headers: bearer(again) });
    check(document.status === 200 && (await document.json()).theme === 'dark', `the settings document did not survive at ${url}`);
  }
  await until(async () => (await withKey()).status === 200, 'the API key to work again', 10_000);
  check((await api.readEverywhere(session, month)).every((status) => status === 401), 'a logged-out token works again after the restart');
  note('the user logs in, old tokens verify with the same keys, the invoice, the settings document and the API key are there, the logged-out token stays refused');

  finishStep();
  printTimings('compose test passed');
} catch (error) {
  finishStep();
  process.stderr.write(`\ncompose test FAILED${currentStep ? ` in "${currentStep}"` : ''}: ${error instanceof CheckFailed ? error.message : error.stack}\n`);
  if (projectCreated) {
    const logs = compose(envFile, ['logs', '--no-color', '--tail', '30'], { allowFailure: true }).output;
    process.stderr.write(`\nLast lines of every container:\n${logs}\n`);
  }
  printTimings('compose test failed');
  process.exitCode = 1;
} finally {
  if (projectCreated) compose(envFile, ['down', '--volumes', '--remove-orphans', '--timeout', '5'], { allowFailure: true });
  if (engineStartedHere) stopEngine();
  rmSync(workDir, { recursive: true, force: true });
}

/** Where each settings replica listens on 127.0.0.1 (a free port each, drawn when it starts). */
function settingsReplicaUrls(file) {
  return Array.from({ length: SETTINGS_REPLICAS }, (_, index) => `http://${compose(file, ['port', `--index=${index + 1}`, 'settings', '3004']).stdout.trim()}`);
}

/** Waits until `expected` containers of the project run and every one reports healthy. */
async function untilHealthy(file, expected) {
  const started = Date.now();
  let states = [];
  while (Date.now() - started < HEALTHY_TIMEOUT_MS) {
    const ids = compose(file, ['ps', '-q'], { allowFailure: true }).stdout.trim().split('\n').filter(Boolean);
    if (ids.length > 0) {
      const inspected = run('docker', ['inspect', '--format', '{{.Name}} {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}', ...ids], { allowFailure: true });
      states = inspected.stdout.trim().split('\n').filter(Boolean);
      if (states.length === expected && states.every((state) => state.endsWith(' healthy'))) {
        note(`${expected} containers healthy after ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return;
      }
    }
    await new Promise((done) => setTimeout(done, 1_000));
  }
  throw new CheckFailed(`not every container was healthy within ${HEALTHY_TIMEOUT_MS / 1000} s:\n${states.join('\n')}`);
}

async function until(condition, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await condition()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new CheckFailed(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

function stopEngine() {
  const pidFile = process.env.SSO_DOCKERD_PIDFILE ?? '/run/sso-dockerd.pid';
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    process.kill(pid, 'SIGTERM');
    // Until it has gone, a next run would find a daemon it did not start.
    for (let waited = 0; isRunning(pid) && waited < 30_000; waited += 100) spawnSync('sleep', ['0.1']);
    rmSync(pidFile, { force: true });
    process.stdout.write(`\nStopped the Docker engine this test started (pid ${pid}).\n`);
  } catch (error) {
    process.stderr.write(`\nCould not stop the Docker engine this test started: ${error.message}\n`);
  }
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function printTimings(title) {
  const width = Math.max(...timings.map(([name]) => name.length));
  process.stdout.write(`\n${title} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
  for (const [name, seconds] of timings) process.stdout.write(`  ${name.padEnd(width)}  ${seconds.toFixed(1).padStart(6)} s\n`);
}

function readEnvFile(file) {
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => /^([A-Z0-9_]+)=(.*)$/.exec(line))
      .filter(Boolean)
      .map(([, name, value]) => [name, value]),
  );
}

function portIsFree(port) {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

function currentMonth() {
  const now = new Date();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { period: from.toISOString().slice(0, 7), from: from.toISOString(), to: to.toISOString() };
}

