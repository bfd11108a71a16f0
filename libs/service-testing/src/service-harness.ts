import type { DynamicModule, INestApplication } from '@nestjs/common';
import { RevocationService } from '@sso/auth';
import { createServiceApp, type PlatformConfig } from '@sso/platform';
import { authStandIn, captureLogs, createTestDatabase, createTestEnv, listenOnLoopback, sparePort, TestIssuer, usageStandIn, waitFor, type CapturedLogs, type StandIn, type TestDatabase, type TestEnv } from '@sso/testing';
import { DataSource } from 'typeorm';

export type DatabaseKind = 'SQLite' | 'PostgreSQL';
export type UsageStandIn = ReturnType<typeof usageStandIn>;

/** A service as its `service.ts` describes it: what main.ts starts and the tests build the same way. */
export interface ServiceUnderTest<Config extends PlatformConfig> {
  loadConfig(env: Record<string, string | undefined>): Config;
  module(config: Config): DynamicModule;
  description: string;
}

export interface ServiceHarnessOptions {
  /** SQLite (a file under the run's DATA_DIR) or a fresh PostgreSQL database, dropped at close. */
  database?: DatabaseKind;
  /** The audience of the tokens the harness signs: the service's name, plus any peer it calls with them. */
  audience: string[];
  /** The scope of a token when a test names none. */
  scope: string;
  /**
   * Stand-ins for the peers of a service with a client of its own: auth's token endpoint
   * (`AUTH_ISSUER`, with `AUTH_CLIENT_ID`/`AUTH_CLIENT_SECRET` set) and usage-tracking
   * (`USAGE_TRACKING_URL`), with the summaries it answers. Without `auth`, the service trusts
   * the test issuer directly and has no client.
   */
  peers?: {
    auth?: { refuseExchange?: boolean };
    usage?: { metrics?: Record<string, Record<string, number>> };
  };
  /** More environment variables, applied last (a service's own settings, or an override). */
  env?: Record<string, string>;
}

export interface ServiceHarness {
  url: string;
  app: INestApplication;
  dataSource: DataSource;
  issuer: TestIssuer;
  testEnv: TestEnv;
  /** The service's JSON log lines. */
  logs: CapturedLogs['lines'];
  /** The auth stand-in, when `peers.auth` was asked for: its `requests` show the service's token requests. */
  auth?: StandIn;
  /** The usage-tracking stand-in, when `peers.usage` was asked for: its `events` are what the service reported. */
  usage?: UsageStandIn;
  /** A user's token (a session: sub ≠ client_id); `claims` add to or override any claim. */
  userToken(subject: string, scope?: string, claims?: Record<string, unknown>): Promise<string>;
  /** A client-credentials token (sub = client_id, no session). */
  serviceToken(clientId: string, scope?: string, claims?: Record<string, unknown>): Promise<string>;
  /** Any request, as a client would send it: a JSON body (or a raw string), an optional bearer token. */
  request(method: string, path: string, token?: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Rows in a table, straight from the database. */
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

/** A response body with the type the test expects of it. */
export const json = async <T>(response: Response | Promise<Response>): Promise<T> => (await (await response).json()) as T;

/**
 * A resource service as main.ts builds it, on a free port of 127.0.0.1, trusting a stand-in
 * issuer, with its own data folder, Redis namespace and database. It answers its first request
 * only once the revocation state is loaded, as a load balancer would wait for readiness.
 */
export async function startServiceHarness<Config extends PlatformConfig>(service: ServiceUnderTest<Config>, options: ServiceHarnessOptions): Promise<ServiceHarness> {
  const issuer = await new TestIssuer().start();
  await issuer.addKey('RS256');
  const auth = options.peers?.auth ? await authStandIn(await sparePort(), issuer, options.peers.auth).start() : undefined;
  const usage = options.peers?.usage ? await usageStandIn(await sparePort(), options.peers.usage.metrics).start() : undefined;
  const database: TestDatabase | undefined = options.database === 'PostgreSQL' ? await createTestDatabase('service_test') : undefined;
  const testEnv = createTestEnv({
    AUTH_ISSUER: auth?.url ?? issuer.url,
    ...(auth ? { AUTH_JWKS_URI: `${issuer.url}/.well-known/jwks.json`, AUTH_CLIENT_ID: 'service-under-test', AUTH_CLIENT_SECRET: 'service-under-test-secret' } : {}),
    ...(usage ? { USAGE_TRACKING_URL: usage.url } : {}),
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...options.env,
  });
  const stopPeers = async () => {
    await Promise.all([auth?.stop(), usage?.stop(), issuer.close()]);
    await database?.drop();
    testEnv.cleanup();
  };

  let app: INestApplication;
  let url: string;
  const logs = captureLogs();
  try {
    const config = service.loadConfig(testEnv.env);
    ({ app } = await createServiceApp({ module: service.module(config), config, description: service.description, logDestination: logs.destination }));
    url = await listenOnLoopback(app);
    await waitFor(() => app.get(RevocationService).mode === 'live', 'revocation state loaded');
  } catch (error) {
    await stopPeers();
    throw error;
  }

  const iss = testEnv.env.AUTH_ISSUER;
  const sign = (claims: Record<string, unknown>) => issuer.sign({ iss, aud: options.audience, ...claims });
  const dataSource = app.get(DataSource);
  return {
    url,
    app,
    dataSource,
    issuer,
    testEnv,
    logs: logs.lines,
    auth,
    usage,
    userToken: (subject, scope = options.scope, claims = {}) => sign({ sub: subject, client_id: 'web', sid: `session-${subject}`, scope, ...claims }),
    serviceToken: (clientId, scope = options.scope, claims = {}) => sign({ sub: clientId, client_id: clientId, sid: undefined, scope, ...claims }),
    request: (method, path, token, body, headers = {}) =>
      fetch(`${url}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    count: async (table) => Number((await dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n),
    close: async () => {
      await app.close();
      await stopPeers();
    },
  };
}
