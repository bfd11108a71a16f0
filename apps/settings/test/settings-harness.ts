import type { INestApplication } from '@nestjs/common';
import { RevocationService } from '@sso/auth';
import { createServiceApp } from '@sso/platform';
import { captureLogs, createTestDatabase, createTestEnv, listenOnLoopback, TestIssuer, waitFor, type TestDatabase } from '@sso/testing';
import { DataSource } from 'typeorm';
import { settingsService } from '../src/service.js';

export type Database = 'sqlite' | 'postgres';

export interface SettingsHarness {
  url: string;
  app: INestApplication;
  issuer: TestIssuer;
  /** A user's token (a session, sub ≠ client_id). */
  userToken(subject: string, scope?: string): Promise<string>;
  /** A client-credentials token (sub = client_id, no session). */
  serviceToken(clientId: string, scope?: string): Promise<string>;
  /** Rows in settings_documents, straight from the database. */
  rows(): Promise<number>;
  request(method: string, path: string, token?: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Every stored document as text, to show that a refused request changed nothing. */
  snapshot(): Promise<string>;
  close(): Promise<void>;
}

/** The settings service as main.ts builds it, on a free port, trusting a stand-in issuer; SQLite or a fresh PostgreSQL database. */
export async function startSettings(database: Database): Promise<SettingsHarness> {
  const issuer = await new TestIssuer().start();
  await issuer.addKey('RS256');
  const testDatabase: TestDatabase | undefined = database === 'postgres' ? await createTestDatabase('sso_settings_test') : undefined;
  const testEnv = createTestEnv({ AUTH_ISSUER: issuer.url, ...(testDatabase ? { DATABASE_URL: testDatabase.url } : {}) });
  const config = settingsService.loadConfig(testEnv.env);
  const { app } = await createServiceApp({ module: settingsService.module(config), config, description: settingsService.description, logDestination: captureLogs().destination });
  const url = await listenOnLoopback(app);
  await waitFor(() => app.get(RevocationService).mode === 'live', 'revocation state loaded');
  const sign = (claims: Record<string, unknown>) => issuer.sign({ aud: ['settings'], ...claims });
  return {
    url,
    app,
    issuer,
    userToken: (subject, scope = 'settings:read settings:write') => sign({ sub: subject, client_id: 'web', sid: `session-${subject}`, scope }),
    serviceToken: (clientId, scope = 'settings:read settings:write') => sign({ sub: clientId, client_id: clientId, sid: undefined, scope }),
    rows: async () => Number((await app.get(DataSource).query('SELECT COUNT(*) AS n FROM settings_documents'))[0].n),
    snapshot: async () => JSON.stringify(await app.get(DataSource).query('SELECT subject, namespace, document, revision FROM settings_documents ORDER BY subject, namespace')),
    request: (method, path, token, body, headers = {}) =>
      fetch(`${url}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
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
