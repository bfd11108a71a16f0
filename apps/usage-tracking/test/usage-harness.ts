import type { INestApplication } from '@nestjs/common';
import { RevocationService } from '@sso/auth';
import { createServiceApp } from '@sso/platform';
import { captureLogs, createTestDatabase, createTestEnv, listenOnLoopback, TestIssuer, waitFor, type TestDatabase } from '@sso/testing';
import { DataSource } from 'typeorm';
import { usageTrackingService } from '../src/service.js';

export type Database = 'sqlite' | 'postgres';

export interface Recorded {
  accepted: number;
  duplicates: number;
}

export interface Summary {
  subject: string;
  from: string;
  to: string;
  metrics: Record<string, number>;
}

export interface EventPage {
  items: Array<{ id: string; subject: string; service: string; metric: string; quantity: number; occurredAt: string; receivedAt: string }>;
  total: number;
  offset: number;
  limit: number;
}

/** A response body with the type the test expects of it. */
export const json = async <T>(response: Response | Promise<Response>): Promise<T> => (await (await response).json()) as T;

export interface UsageHarness {
  url: string;
  app: INestApplication;
  issuer: TestIssuer;
  /** A user's token (a session, sub ≠ client_id). */
  userToken(subject: string, scope?: string): Promise<string>;
  /** A client-credentials token (sub = client_id, no session). */
  serviceToken(clientId: string, scope?: string): Promise<string>;
  /** Rows in usage_events, straight from the database. */
  rows(): Promise<number>;
  request(method: string, path: string, token?: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

/** usage-tracking as main.ts builds it, on a free port, trusting a stand-in issuer; SQLite or a fresh PostgreSQL database. */
export async function startUsageTracking(database: Database): Promise<UsageHarness> {
  const issuer = await new TestIssuer().start();
  await issuer.addKey('RS256');
  const testDatabase: TestDatabase | undefined = database === 'postgres' ? await createTestDatabase('sso_usage_test') : undefined;
  const testEnv = createTestEnv({ AUTH_ISSUER: issuer.url, ...(testDatabase ? { DATABASE_URL: testDatabase.url } : {}) });
  const config = usageTrackingService.loadConfig(testEnv.env);
  const { app } = await createServiceApp({ module: usageTrackingService.module(config), config, description: usageTrackingService.description, logDestination: captureLogs().destination });
  const url = await listenOnLoopback(app);
  await waitFor(() => app.get(RevocationService).mode === 'live', 'revocation state loaded');
  const sign = (claims: Record<string, unknown>) => issuer.sign({ aud: ['usage-tracking'], ...claims });
  return {
    url,
    app,
    issuer,
    userToken: (subject, scope = 'usage-tracking:read usage-tracking:write') => sign({ sub: subject, client_id: 'web', sid: `session-${subject}`, scope }),
    serviceToken: (clientId, scope = 'usage-tracking:read usage-tracking:write') => sign({ sub: clientId, client_id: clientId, sid: undefined, scope }),
    rows: async () => Number((await app.get(DataSource).query('SELECT COUNT(*) AS n FROM usage_events'))[0].n),
    request: (method, path, token, body) =>
      fetch(`${url}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    close: async () => {
      await app.close();
      await issuer.close();
      await testDatabase?.drop();
      testEnv.cleanup();
    },
  };
}
