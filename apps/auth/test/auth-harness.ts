import type { INestApplication } from '@nestjs/common';
import { createServiceApp, REDIS_CLIENT, type RedisClient } from '@sso/platform';
import { captureLogs, createTestDatabase, createTestEnv, sparePort, waitFor, type CapturedLogs, type TestDatabase, type TestEnv } from '@sso/testing';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { AuthConfig } from '../src/config.js';
import { RevocationProjectionKeeper } from '../src/revocation/revocation-projection.keeper.js';
import { authService } from '../src/service.js';

export const ADMIN_PASSWORD = 'admin-password-for-tests';

export interface AuthHarness {
  url: string;
  app: INestApplication;
  config: AuthConfig;
  redis: RedisClient;
  logs: CapturedLogs;
  testEnv: TestEnv;
  close(): Promise<void>;
  /** POST a form (or JSON with `json: true`). */
  post(path: string, body: Record<string, string> | unknown, init?: { json?: boolean; headers?: Record<string, string> }): Promise<Response>;
  login(username: string, password: string, scope?: string): Promise<Response>;
  adminToken(): Promise<string>;
  /** Verifies a token the way a third party does: jose against the running JWKS URL. */
  verify(token: string, audience?: string): Promise<JWTPayload>;
}

/** The auth service as it runs, on a free port, with its own data folder, Redis namespace and (optionally) PostgreSQL database. */
export async function startAuth(overrides: Record<string, string> = {}, database: 'sqlite' | 'postgres' = 'sqlite'): Promise<AuthHarness> {
  const testDatabase: TestDatabase | undefined = database === 'postgres' ? await createTestDatabase('sso_auth_test') : undefined;
  const testEnv = createTestEnv({ AUTH_ADMIN_PASSWORD: ADMIN_PASSWORD, AUTH_PASSWORD_HASH_COST: '12', ...(testDatabase ? { DATABASE_URL: testDatabase.url } : {}), ...overrides });
  const logs = captureLogs();
  // The issuer must be the URL the service answers on; it is known once it listens.
  const port = await sparePort();
  const config = authService.loadConfig({ ...testEnv.env, PORT: String(port), AUTH_ISSUER: `http://127.0.0.1:${port}`, ...overrides });
  const { app } = await createServiceApp({ module: authService.module(config), config, description: authService.description, logDestination: logs.destination });
  await app.listen(port, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const jwks = createRemoteJWKSet(new URL(`${url}/.well-known/jwks.json`));
  const redis = app.get<RedisClient>(REDIS_CLIENT);
  // As a load balancer would: no traffic before readiness (Redis connects in the background).
  await waitFor(async () => (await fetch(`${url}/health/ready`)).status === 200, 'the auth service to be ready', 15_000);

  const post: AuthHarness['post'] = (path, body, init = {}) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': init.json ? 'application/json' : 'application/x-www-form-urlencoded', ...init.headers },
      body: init.json ? JSON.stringify(body) : new URLSearchParams(body as Record<string, string>).toString(),
    });
  const login: AuthHarness['login'] = (username, password, scope) => post('/auth/login', { username, password, ...(scope ? { scope } : {}) }, { json: true });

  return {
    url,
    app,
    config,
    redis,
    logs,
    testEnv,
    post,
    login,
    adminToken: async () => ((await (await login('admin', ADMIN_PASSWORD)).json()) as { access_token: string }).access_token,
    verify: async (token, audience) => (await jwtVerify(token, jwks, { issuer: url, audience, typ: 'at+jwt' })).payload,
    close: async () => {
      // Its keeper would otherwise rebuild what is removed here before the app has stopped.
      await app.get(RevocationProjectionKeeper).keeper.close();
      // A test that failed while Redis was down must still close: an offline client would reject.
      const keys = redis.isReady ? await redis.keys(`${testEnv.namespace}*`) : [];
      if (keys.length > 0) await redis.del(keys);
      await app.close();
      await testDatabase?.drop();
      testEnv.cleanup();
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
export const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}` });
