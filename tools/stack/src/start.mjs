#!/usr/bin/env node
// `npm start`: builds what changed, then runs every service as its own process with the
// development defaults, waits until all are ready, and stops them all on Ctrl-C or SIGTERM.
// Usage: node tools/stack/src/start.mjs [--no-build]
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPort, checkRedis } from './preflight.mjs';
import { ensureServiceClients } from './service-clients.mjs';
import { portVariable, services, webApps } from './services.mjs';
import { ensureStorefrontKey } from './storefront-key.mjs';
import { ensureWebClients, webAppEnv } from './web-clients.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const env = process.env;
const READY_TIMEOUT_MS = Number(env.STACK_READY_TIMEOUT_MS ?? 60_000);
const STOP_TIMEOUT_MS = 15_000;

const fail = (message) => {
  process.stderr.write(`\n${message}\n`);
  process.exit(1);
};

const startedAt = Date.now();
const dataDir = resolve(env.DATA_DIR ?? join(root, '.data'));
const host = env.HOST ?? '0.0.0.0';
const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const stack = [...services, ...webApps].map(({ name, port }) => ({ name, variable: portVariable(name), port: Number(env[portVariable(name)] ?? port) }));
const portOf = (name) => stack.find((service) => service.name === name).port;
const authPort = portOf('auth');
const issuer = env.AUTH_ISSUER ?? `http://localhost:${authPort}`;

if (!process.argv.includes('--no-build')) build();

const problems = [await checkRedis(redisUrl), ...(await Promise.all(stack.map((service) => checkPort(service, host))))].filter(Boolean);
if (problems.length > 0) fail(problems.join('\n'));

// The platform is built by now; it owns how development secrets are made and kept.
const { bootstrapSecretNames, readOrCreateDevSecrets, DEV_SECRETS_FILE } = await import('@sso/platform');
const generatedNames = env.NODE_ENV === 'production' ? [] : bootstrapSecretNames.filter((name) => !env[name]);
const devSecrets = readOrCreateDevSecrets(dataDir, generatedNames).values;

const logDir = join(dataDir, 'logs');
mkdirSync(logDir, { recursive: true });
let stopping = false;
const children = [];
process.once('SIGINT', () => stopAll(0));
process.once('SIGTERM', () => stopAll(0));

try {
  // Auth first: the services that call others need their OAuth clients before they start.
  const auth = stack.find((service) => service.name === 'auth');
  children.push(launch(auth));
  await waitUntilReady(auth);
  const clients = await provisionClients(auth);
  const signIns = await webAppSettings(auth);
  // Product last: its storefront needs a search key from the key service.
  const product = stack.find((service) => service.name === 'product');
  const rest = stack.filter((service) => service !== auth && service !== product);
  children.push(...rest.map((service) => launch(service, clients[service.name], signIns[service.name])));
  await waitUntilReady(stack.find((service) => service.name === 'api-keys'));
  children.push(launch(product, clients.product, { ...(await storefrontSettings(product)), ...signIns.product }));
  await Promise.all([...rest, product].map((service) => waitUntilReady(service)));
} catch (error) {
  process.stderr.write(`\n${error.message}\n`);
  await stopAll(1);
}
printSummary();

/** Development registers the clients itself; otherwise each service's AUTH_CLIENT_* must come from its environment. */
async function provisionClients(auth) {
  if (env.NODE_ENV === 'production') return {};
  return ensureServiceClients({
    authUrl: `http://127.0.0.1:${auth.port}`,
    adminUsername: env.AUTH_ADMIN_USERNAME ?? 'admin',
    adminPassword: env.AUTH_ADMIN_PASSWORD ?? devSecrets.AUTH_ADMIN_PASSWORD,
    dataDir,
  });
}

/**
 * The demo apps' sign-in settings: where they are reached and the services they call, and in
 * development their clients at auth, registered here (otherwise CONSOLE_CLIENT_* and
 * STOREFRONT_CLIENT_ID come from the environment).
 */
async function webAppSettings(auth) {
  const origins = { console: env.CONSOLE_URL ?? `http://localhost:${portOf('console')}`, storefront: env.STOREFRONT_URL ?? `http://localhost:${portOf('product')}` };
  const clients =
    env.NODE_ENV === 'production'
      ? {}
      : await ensureWebClients({
          authUrl: `http://127.0.0.1:${auth.port}`,
          adminUsername: env.AUTH_ADMIN_USERNAME ?? 'admin',
          adminPassword: env.AUTH_ADMIN_PASSWORD ?? devSecrets.AUTH_ADMIN_PASSWORD,
          dataDir,
          origins,
        });
  return webAppEnv({ origins, billingUrl: env.BILLING_URL ?? `http://127.0.0.1:${portOf('billing')}`, settingsUrl: env.SETTINGS_URL ?? `http://127.0.0.1:${portOf('settings')}`, clients });
}

/** Development makes the storefront's search-only key itself; otherwise STOREFRONT_SEARCH_KEY comes from the environment. */
async function storefrontSettings(product) {
  if (env.NODE_ENV === 'production' || env.STOREFRONT_SEARCH_KEY) return {};
  const apiKeys = stack.find((service) => service.name === 'api-keys');
  try {
    const key = await ensureStorefrontKey({
      apiKeysUrl: `http://127.0.0.1:${apiKeys.port}`,
      applicationId: env.API_KEYS_APP_ID ?? 'SSODEMO',
      adminKey: env.API_KEYS_ADMIN_KEY ?? devSecrets.API_KEYS_ADMIN_KEY,
      productOrigins: [`http://localhost:${product.port}`, `http://127.0.0.1:${product.port}`],
      dataDir,
    });
    return { STOREFRONT_SEARCH_KEY: key };
  } catch (error) {
    // The storefront is a sample: without its key the page says so, and the rest runs as usual.
    process.stderr.write(`The storefront gets no search key: ${error.message}\n`);
    return {};
  }
}

function build() {
  process.stdout.write('Building the services (cached when nothing changed)...\n');
  const result = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--projects=tag:type:app', '--output-style=static'], {
    cwd: root,
    env: { ...env, NX_DAEMON: env.NX_DAEMON ?? 'false', NX_TUI: 'false' },
    encoding: 'utf8',
  });
  if (result.status !== 0) fail(`The build failed:\n${result.stdout}${result.stderr}`);
}

function launch(service, client, extraEnv = {}) {
  const logFile = join(logDir, `${service.name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [join(root, 'apps', service.name, 'dist', 'main.js')], {
    cwd: root,
    env: {
      ...env,
      PORT: String(service.port),
      HOST: host,
      REDIS_URL: redisUrl,
      AUTH_ISSUER: issuer,
      DATA_DIR: dataDir,
      USAGE_TRACKING_URL: env.USAGE_TRACKING_URL ?? `http://127.0.0.1:${stack.find(({ name }) => name === 'usage-tracking').port}`,
      ...(client ? { AUTH_CLIENT_ID: client.clientId, AUTH_CLIENT_SECRET: client.clientSecret } : {}),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(`\nThe ${service.name} service stopped (${signal ?? `exit code ${code}`}). Last lines of ${logFile}:\n${tail(logFile)}\n`);
    stopAll(1);
  });
  return { service, child };
}

async function waitUntilReady(service) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const url = `http://127.0.0.1:${service.port}/health/ready`;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`The ${service.name} service was not ready within ${READY_TIMEOUT_MS / 1000} s; see ${join(logDir, `${service.name}.log`)}.`);
}

async function stopAll(exitCode) {
  if (stopping) return;
  stopping = true;
  process.stdout.write('\nStopping the services...\n');
  const running = children.filter(({ child }) => child.exitCode === null && child.signalCode === null);
  const exited = running.map(({ child }) => new Promise((done) => child.once('exit', done)));
  for (const { child } of running) child.kill('SIGTERM');
  const timer = setTimeout(() => running.forEach(({ child }) => child.kill('SIGKILL')), STOP_TIMEOUT_MS);
  await Promise.all(exited);
  clearTimeout(timer);
  process.stdout.write('All services stopped.\n');
  process.exit(exitCode);
}

function printSummary() {
  const rows = stack.map(({ name, port }) => [name, `http://localhost:${port}`, webApps.some((app) => app.name === name) ? '(a demo app)' : `http://localhost:${port}/docs`]);
  const widths = [0, 1, 2].map((column) => Math.max(...[['service', 'URL', 'docs'], ...rows].map((row) => row[column].length)));
  const line = (cells) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  const storefront = `http://localhost:${portOf('product')}/storefront/`;
  const lines = [
    '',
    `All ${services.length} services are ready, and the demo app${webApps.length > 1 ? 's' : ''} (${((Date.now() - startedAt) / 1000).toFixed(1)} s).`,
    '',
    line(['service', 'URL', 'docs']),
    ...rows.map(line),
    '',
    `Storefront (search with a search-only key): ${storefront}`,
    `Single sign-on: sign in at the console, http://localhost:${portOf('console')}/, then open ${storefront}account (no second password).`,
    '',
  ];
  const shown = Object.entries(devSecrets);
  if (shown.length > 0) {
    lines.push(`Development secrets (generated once, kept in ${join(dataDir, DEV_SECRETS_FILE)}):`);
    lines.push(`  AUTH_ADMIN_USERNAME=${env.AUTH_ADMIN_USERNAME ?? 'admin'}`, `  API_KEYS_APP_ID=${env.API_KEYS_APP_ID ?? 'SSODEMO'}`);
    for (const [name, value] of shown) lines.push(`  ${name}=${value}`);
    lines.push('');
  }
  lines.push(`Logs: ${logDir}/<service>.log. Press Ctrl-C to stop everything.`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

function tail(file, count = 20) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-count).join('\n');
  } catch {
    return '(no log)';
  }
}
