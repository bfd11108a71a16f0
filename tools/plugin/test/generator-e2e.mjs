#!/usr/bin/env node
// `npm run test:generator`: proves `nx g @sso/tools:service` end to end. In a scratch copy of the
// workspace (tracked files plus uncommitted changes, sharing this checkout's node_modules) it
// generates a service, builds, lints, type-checks and tests it, starts auth and the new service
// as separate processes, and calls the guarded route with a client-credentials token from auth
// and without one. Needs Redis and PostgreSQL on 127.0.0.1, as `npm test` does.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, createWriteStream, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SERVICE = process.env.GENERATOR_E2E_SERVICE ?? 'inventory';
const PROJECT = `@sso/${SERVICE}-service`;
const CLIENT_ID = `${SERVICE}-e2e`;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

const startedAt = Date.now();
const seconds = () => ((Date.now() - startedAt) / 1000).toFixed(1);
const step = (title) => process.stdout.write(`\n=== ${title} (${seconds()}s)\n`);
const note = (line) => process.stdout.write(`    ${line}\n`);

const scratch = mkdtempSync(join(tmpdir(), 'sso-generator-'));
const workspace = join(scratch, 'workspace');
const redisNamespace = `generator-e2e-${randomBytes(4).toString('hex')}:`;
const processes = [];

let status = 0;
try {
  await run();
  step('passed');
  note(`generated service built, linted, type-checked, tested and started; GET /${SERVICE}/items → 200 with a token, 401 without (${seconds()}s in all)`);
} catch (error) {
  status = 1;
  step('FAILED');
  process.stderr.write(`${error.message}\n`);
  for (const { name, logFile } of processes) process.stderr.write(`\n--- last lines of ${name}'s log ---\n${tail(logFile)}\n`);
} finally {
  await stopAll();
  await forgetRedisKeys();
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(status);

async function run() {
  step(`scratch copy of the workspace in ${workspace}`);
  const copied = copyWorkspace();
  linkNodeModules();
  note(`${copied} files copied; node_modules shared with ${root}`);

  step(`npx nx g @sso/tools:service ${SERVICE}`);
  nx(['g', '@sso/tools:service', SERVICE, '--skipInstall', '--no-interactive']);
  // What `npm install` would do for the new workspace package: the link in node_modules/@sso.
  linkWorkspacePackages();
  check(existsSync(join(workspace, 'node_modules', '@sso', `${SERVICE}-service`, 'package.json')), `${PROJECT} is not linked in node_modules`);

  step(`build, lint, typecheck and test ${PROJECT}`);
  nx(['run-many', '-t', 'build', 'lint', 'typecheck', 'test', '-p', PROJECT, '--parallel=2', '--output-style=static']);

  step('build, lint and typecheck auth and the stack, whose lists now name the service');
  nx(['run-many', '-t', 'build', 'lint', 'typecheck', '-p', '@sso/auth-service', '@sso/stack', '--parallel=2', '--output-style=static']);

  step("auth's login and token tests: the administrator's token now names the new audience too");
  nx(['run', '@sso/auth-service:test', '--output-style=static', '--', '--testPathPatterns=login-and-tokens']);

  step(`start auth and ${SERVICE} as processes`);
  const [authPort, servicePort] = [await freePort(), await freePort()];
  const authUrl = `http://127.0.0.1:${authPort}`;
  const serviceUrl = `http://127.0.0.1:${servicePort}`;
  const clientSecret = randomBytes(32).toString('base64url');
  const common = { NODE_ENV: 'development', HOST: '127.0.0.1', REDIS_URL, REDIS_NAMESPACE: redisNamespace, AUTH_ISSUER: authUrl, LOG_LEVEL: 'warn' };
  launch('auth', { ...common, PORT: String(authPort), DATA_DIR: dataDir('auth'), AUTH_CLIENTS: JSON.stringify([{ client_id: CLIENT_ID, scope: `${SERVICE}:read ${SERVICE}:write`, client_secret: clientSecret }]) });
  await waitUntilReady('auth', authUrl);
  launch(SERVICE, { ...common, PORT: String(servicePort), DATA_DIR: dataDir(SERVICE) });
  await waitUntilReady(SERVICE, serviceUrl);

  step(`a client-credentials token from auth, then GET /${SERVICE}/items`);
  const token = await clientToken(authUrl, clientSecret);
  const route = `${serviceUrl}/${SERVICE}/items`;
  const withToken = await fetch(route, { headers: { authorization: `Bearer ${token}` } });
  note(`GET /${SERVICE}/items with a token → ${withToken.status}`);
  check(withToken.status === 200, `expected 200 with a token, got ${withToken.status}: ${await withToken.text()}`);
  const without = await fetch(route);
  note(`GET /${SERVICE}/items without a token → ${without.status} (${without.headers.get('www-authenticate')})`);
  check(without.status === 401, `expected 401 without a token, got ${without.status}`);
  const created = await fetch(route, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'first' }) });
  note(`POST /${SERVICE}/items with the token → ${created.status}`);
  check(created.status === 201, `expected 201 creating an item, got ${created.status}: ${await created.text()}`);
  const listed = await (await fetch(route, { headers: { authorization: `Bearer ${token}` } })).json();
  note(`GET /${SERVICE}/items again → ${listed.total} item(s), owned by ${listed.items[0]?.owner}`);
  check(listed.total === 1 && listed.items[0]?.owner === CLIENT_ID, `expected the client's one item, got ${JSON.stringify(listed)}`);
}

/** Git's tracked files and untracked ones not ignored: the working tree as a commit would see it, uncommitted changes included. */
function copyWorkspace() {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  check(listed.status === 0, `git ls-files failed: ${listed.stderr}`);
  let copied = 0;
  for (const file of new Set(listed.stdout.split('\0').filter(Boolean))) {
    const source = join(root, file);
    if (!existsSync(source) && !isSymlink(source)) continue; // deleted in the working tree
    const target = join(workspace, file);
    mkdirSync(dirname(target), { recursive: true });
    if (isSymlink(source)) symlinkSync(readlinkSync(source), target);
    else copyFileSync(source, target);
    copied += 1;
  }
  return copied;
}

/** Every installed package is this checkout's; only the workspace links (@sso/*) point into the copy. */
function linkNodeModules() {
  const modules = join(workspace, 'node_modules');
  mkdirSync(modules);
  // npm's own files (.package-lock.json, .cache) stay out, so nothing run in the copy can write into this checkout's.
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry !== '@sso' && (entry === '.bin' || !entry.startsWith('.'))) symlinkSync(join(root, 'node_modules', entry), join(modules, entry));
  }
  linkWorkspacePackages();
}

function linkWorkspacePackages() {
  const scope = join(workspace, 'node_modules', '@sso');
  mkdirSync(scope, { recursive: true });
  for (const folder of ['apps', 'libs', 'tools']) {
    for (const project of readdirSync(join(workspace, folder))) {
      const manifest = join(workspace, folder, project, 'package.json');
      if (!existsSync(manifest)) continue;
      const { name } = JSON.parse(readFileSync(manifest, 'utf8'));
      const link = join(workspace, 'node_modules', name);
      if (!name?.startsWith('@sso/') || isSymlink(link)) continue;
      symlinkSync(relative(scope, join(workspace, folder, project)), link);
    }
  }
}

function nx(args) {
  const began = Date.now();
  const result = spawnSync('npx', ['nx', ...args], {
    cwd: workspace,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0' },
  });
  check(result.status === 0, `npx nx ${args.join(' ')} failed (exit code ${result.status ?? result.signal})`);
  note(`npx nx ${args.join(' ')}: ${((Date.now() - began) / 1000).toFixed(1)}s`);
}

function launch(name, env) {
  const logFile = join(scratch, `${name}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [join(workspace, 'apps', name, 'dist', 'main.js')], { cwd: workspace, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  processes.push({ name, child, logFile, exited });
  note(`${name}: pid ${child.pid}, port ${env.PORT}, log ${logFile}`);
}

async function waitUntilReady(name, url) {
  const began = Date.now();
  const { child } = processes.find((launched) => launched.name === name);
  while (Date.now() - began < READY_TIMEOUT_MS) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before it was ready`);
    const answer = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then((response) => response.status, () => 0);
    if (answer === 200) {
      note(`${name} ready at ${url} after ${((Date.now() - began) / 1000).toFixed(1)}s`);
      return;
    }
    await new Promise((wake) => setTimeout(wake, 200));
  }
  throw new Error(`${name} was not ready at ${url}/health/ready within ${READY_TIMEOUT_MS / 1000}s`);
}

async function clientToken(authUrl, clientSecret) {
  const response = await fetch(`${authUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: clientSecret, scope: `${SERVICE}:read ${SERVICE}:write` }),
  });
  const body = await response.json();
  note(`POST /oauth/token (client_credentials, ${CLIENT_ID}) → ${response.status}, scope "${body.scope}"`);
  check(response.status === 200 && typeof body.access_token === 'string', `auth refused the token: ${JSON.stringify(body)}`);
  return body.access_token;
}

async function stopAll() {
  for (const { child } of processes) if (child.exitCode === null) child.kill('SIGTERM');
  const stopped = Promise.all(processes.map(({ exited }) => exited));
  const timedOut = await Promise.race([stopped.then(() => false), new Promise((wake) => setTimeout(() => wake(true), STOP_TIMEOUT_MS).unref())]);
  if (timedOut) for (const { child } of processes) if (child.exitCode === null) child.kill('SIGKILL');
}

/** The run's revocation state and markers, left under its own namespace. */
async function forgetRedisKeys() {
  const client = createClient({ url: REDIS_URL });
  try {
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${redisNamespace}*`, COUNT: 500 })) if (keys.length > 0) await client.unlink(keys);
  } catch (error) {
    process.stderr.write(`could not remove the Redis keys ${redisNamespace}*: ${error.message}\n`);
  } finally {
    if (client.isOpen) await client.close();
  }
}

function dataDir(name) {
  const dir = join(scratch, 'data', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function isSymlink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function tail(file, lines = 30) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}
