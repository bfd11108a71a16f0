import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, createTestEnv, sparePort, TEST_REDIS_URL, waitFor, type TestDatabase, type TestEnv } from '@sso/testing';
import { ensureServiceClients } from '../src/service-clients.mjs';
import { services, webApps } from '../src/services.mjs';
import { ensureWebClients, webAppEnv } from '../src/web-clients.mjs';
import { launchService, type Launched } from './stack-process.js';

export interface Ecosystem {
  urls: Record<string, string>;
  adminPassword: string;
  testEnv: TestEnv;
  /** The PostgreSQL database of each service. */
  databaseUrls: Record<string, string>;
  /** Stops one service (SIGTERM) and waits until it has exited. */
  stop(service: string): Promise<void>;
  /** Starts one service again with the same settings and waits until it is ready. */
  start(service: string): Promise<void>;
  output(service: string): string;
  close(): Promise<void>;
}

/**
 * All six services and the console as separate processes, started the way `npm start` starts
 * them (auth first, then the clients, then the rest), each service with a PostgreSQL database
 * of its own and one Redis namespace, so a test can stop and restart any one of them.
 */
export async function startEcosystem(extraEnv: Record<string, string> = {}): Promise<Ecosystem> {
  // The real owners (auth, the key service) mark their projections.
  const testEnv = createTestEnv({}, { projectionsWhole: false });
  const databases = new Map<string, TestDatabase>();
  for (const { name } of services) databases.set(name, await createTestDatabase(`sso_e2e_${name.replace('-', '_')}`));
  const ports = new Map<string, number>();
  for (const { name } of [...services, ...webApps]) ports.set(name, await sparePort());
  const urls = Object.fromEntries([...ports].map(([name, port]) => [name, `http://127.0.0.1:${port}`]));
  const processes = new Map<string, Launched>();
  let clients: Record<string, { clientId: string; clientSecret: string }> = {};
  let appEnv: Record<string, Record<string, string>> = {};

  const envOf = (name: string): Record<string, string> => ({
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(ports.get(name)),
    REDIS_URL: TEST_REDIS_URL,
    REDIS_NAMESPACE: testEnv.namespace,
    DATA_DIR: testEnv.dataDir,
    ...(databases.has(name) ? { DATABASE_URL: databases.get(name)!.url } : {}),
    AUTH_ISSUER: urls.auth,
    USAGE_TRACKING_URL: urls['usage-tracking'],
    LOG_LEVEL: 'warn',
    ...(clients[name] ? { AUTH_CLIENT_ID: clients[name].clientId, AUTH_CLIENT_SECRET: clients[name].clientSecret } : {}),
    ...appEnv[name],
    ...extraEnv,
  });
  const start = async (name: string) => {
    const launched = launchService(name, envOf(name));
    processes.set(name, launched);
    await waitFor(
      async () => {
        if (launched.child.exitCode !== null) throw new Error(`${name} exited:\n${launched.output()}`);
        return fetch(`${urls[name]}/health/ready`).then((response) => response.status === 200, () => false);
      },
      `${name} to be ready`,
      60_000,
      100,
    );
  };
  const stop = async (name: string) => {
    const launched = processes.get(name);
    if (!launched || launched.child.exitCode !== null || launched.child.signalCode !== null) return;
    launched.child.kill('SIGTERM');
    await launched.exited;
  };

  await start('auth');
  const adminPassword = (JSON.parse(readFileSync(join(testEnv.dataDir, 'secrets.json'), 'utf8')) as { AUTH_ADMIN_PASSWORD: string }).AUTH_ADMIN_PASSWORD;
  clients = (await ensureServiceClients({ authUrl: urls.auth, adminUsername: 'admin', adminPassword, dataDir: testEnv.dataDir })) as typeof clients;
  const origins = { console: urls.console, storefront: urls.product };
  const appClients = await ensureWebClients({ authUrl: urls.auth, adminUsername: 'admin', adminPassword, dataDir: testEnv.dataDir, origins });
  appEnv = webAppEnv({ origins, billingUrl: urls.billing, settingsUrl: urls.settings, clients: appClients });
  await Promise.all([...services, ...webApps].filter(({ name }) => name !== 'auth').map(({ name }) => start(name)));

  return {
    urls,
    adminPassword,
    testEnv,
    databaseUrls: Object.fromEntries([...databases].map(([name, database]) => [name, database.url])),
    stop,
    start,
    output: (name) => processes.get(name)?.output() ?? '',
    close: async () => {
      await Promise.all([...services, ...webApps].map(({ name }) => stop(name)));
      for (const database of databases.values()) await database.drop();
      testEnv.cleanup();
    },
  };
}
