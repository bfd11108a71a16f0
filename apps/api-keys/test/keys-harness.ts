import { isDeepStrictEqual } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { RevocationService } from '@sso/auth';
import { apiKeysChannel, apiKeysHashKey, decodeApiKeyEvent, decodeApiKeyRecord, decodeProjectionGeneration, projectionGenerationKey, type ApiKeyEvent, type ApiKeyRecord, type ProjectionGeneration } from '@sso/contracts';
import { createServiceApp } from '@sso/platform';
import { captureLogs, createTestDatabase, createTestEnv, listenOnLoopback, TestIssuer, waitFor, type CapturedLogs, type TestDatabase, type TestEnv } from '@sso/testing';
import { algoliasearch } from 'algoliasearch';
import { createClient } from 'redis';
import { DataSource } from 'typeorm';
import type { ApiKeysConfig } from '../src/config.js';
import { KeyMaintenance } from '../src/maintenance/key-maintenance.js';
import { ProjectionService } from '../src/projection/projection.service.js';
import { apiKeysService } from '../src/service.js';

export type Database = 'SQLite' | 'PostgreSQL';
export type SearchClient = ReturnType<typeof algoliasearch>;
type Inspector = ReturnType<typeof createClient>;

export const APP_ID = 'TESTAPP';

export interface RequestOptions {
  /** Bearer token, sent instead of the admin key. */
  token?: string;
  /** Send no credentials of the harness's own (only those in `headers`). */
  anonymous?: boolean;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * The api-keys service as main.ts builds it, on a free port, with its own SQLite file or a fresh
 * PostgreSQL database, a Redis namespace of its own, a stand-in issuer for bearer tokens, and a
 * Redis client of the test's to inspect the projection and collect the published events.
 */
export class KeysHarness {
  readonly events: ApiKeyEvent[] = [];
  readonly logs: CapturedLogs[] = [];
  app!: INestApplication;
  url = '';
  config!: ApiKeysConfig;
  redis!: Inspector;
  private subscriber!: Inspector;
  private running = false;

  private constructor(
    readonly database: Database,
    readonly issuer: TestIssuer,
    readonly testEnv: TestEnv,
    private readonly testDatabase: TestDatabase | undefined,
  ) {}

  static async start(database: Database, env: Record<string, string> = {}): Promise<KeysHarness> {
    const issuer = await new TestIssuer().start();
    await issuer.addKey('RS256');
    const testDatabase = database === 'PostgreSQL' ? await createTestDatabase('sso_api_keys_test') : undefined;
    const testEnv = createTestEnv({
      AUTH_ISSUER: issuer.url,
      API_KEYS_APP_ID: APP_ID,
      API_KEYS_MAINTENANCE_INTERVAL_MS: '600000',
      ...(testDatabase ? { DATABASE_URL: testDatabase.url } : {}),
      ...env,
    });
    const harness = new KeysHarness(database, issuer, testEnv, testDatabase);
    await harness.boot();
    harness.redis = createClient({ url: testEnv.env.REDIS_URL, RESP: 2 });
    harness.redis.on('error', () => undefined);
    await harness.redis.connect();
    harness.subscriber = harness.redis.duplicate();
    harness.subscriber.on('error', () => undefined);
    await harness.subscriber.connect();
    await harness.subscriber.subscribe(apiKeysChannel(testEnv.namespace), (message) => {
      const event = decodeApiKeyEvent(message);
      if (event) harness.events.push(event);
    });
    return harness;
  }

  get adminKey(): string {
    return this.config.API_KEYS_ADMIN_KEY;
  }

  /** REDIS_NAMESPACE of the service (a test may give two services one namespace). */
  get namespace(): string {
    return this.testEnv.env.REDIS_NAMESPACE;
  }

  get hashKey(): string {
    return apiKeysHashKey(this.namespace);
  }

  /** The algoliasearch v5 client, pointed at this service over http. */
  client(apiKey = this.adminKey, appId = APP_ID): SearchClient {
    const { hostname, port } = new URL(this.url);
    return algoliasearch(appId, apiKey, { hosts: [{ url: hostname, port: Number(port), accept: 'readWrite', protocol: 'http' }] });
  }

  /** A bearer token of the stand-in issuer for this service's audience. */
  token(scope = 'api-keys:admin', overrides: Record<string, unknown> = {}): Promise<string> {
    return this.issuer.sign({ aud: ['api-keys'], sub: 'ops-1', client_id: 'console', scope, ...overrides });
  }

  /** A plain HTTP call, with the admin key unless `token` or `anonymous` says otherwise. */
  request(method: string, path: string, { token, anonymous, headers, body }: RequestOptions = {}): Promise<Response> {
    const credentials: Record<string, string> = token ? { authorization: `Bearer ${token}` } : anonymous ? {} : { 'x-algolia-application-id': APP_ID, 'x-algolia-api-key': this.adminKey };
    return fetch(`${this.url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...credentials, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  /** The projected record under a key's hash, decoded (undefined when absent). */
  async record(hash: string): Promise<ApiKeyRecord | undefined> {
    return decodeApiKeyRecord(await this.redis.hGet(this.hashKey, hash));
  }

  /** The projection's generation marker (undefined when missing or malformed). */
  async marker(): Promise<ProjectionGeneration | undefined> {
    return decodeProjectionGeneration(await this.redis.get(projectionGenerationKey(this.namespace, 'api-keys')));
  }

  /** The identity of the service's database, as its projection_source row holds it. */
  async sourceId(): Promise<string> {
    const [row] = await this.rows<{ id: string }>('SELECT id FROM projection_source');
    return row.id;
  }

  /** Waits until the event `{ v: 1, hash, record }` was published after the first `from` events (fails after 5 s). */
  async expectEvent(hash: string, record: ApiKeyRecord | null | undefined, from = 0): Promise<void> {
    const expected = { v: 1, hash, record: record ?? null };
    await waitFor(() => this.events.slice(from).some((event) => isDeepStrictEqual(event, expected)), `the event ${JSON.stringify(expected)}`, 5_000);
  }

  /** Waits until `count` events (of `hash`, when given) were published after `from` events, and returns them. */
  async eventsAfter(from: number, count: number, hash?: string): Promise<ApiKeyEvent[]> {
    const matching = () => this.events.slice(from).filter((event) => hash === undefined || event.hash === hash);
    await waitFor(() => matching().length >= count, `${count} events`, 5_000);
    return matching();
  }

  rows<T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return this.app.get(DataSource).query(sql, parameters);
  }

  /** The stored row of a key, as the database holds it. */
  keyRow(id: string): Promise<Record<string, unknown> | undefined> {
    return this.app.get(DataSource).createQueryBuilder().select('*').from('api_keys', 'key').where('key.id = :id', { id }).getRawOne();
  }

  /** Every row of the service's tables and every field of its Redis hash, to show a refused request changed nothing. */
  async snapshot(): Promise<string> {
    const keys = await this.rows('SELECT * FROM api_keys ORDER BY id');
    const audit = await this.rows('SELECT COUNT(*) AS n FROM audit_events');
    const hash = await this.redis.hGetAll(this.hashKey);
    return JSON.stringify({ keys, audit: Number(audit[0].n), hash: Object.entries(hash).sort() });
  }

  runMaintenance(): Promise<void> {
    return this.app.get(KeyMaintenance).runOnce();
  }

  rebuildProjection(): Promise<{ written: number; removed: number }> {
    return this.app.get(ProjectionService).rebuildProjection();
  }

  /** Stops the service and starts it again on the same database and Redis namespace (another port). */
  async restart(): Promise<void> {
    await this.stopService();
    await this.startService();
  }

  /** Stops the service, keeping its database, Redis namespace and inspecting clients. */
  async stopService(): Promise<void> {
    await this.app.close();
    this.running = false;
  }

  /** Starts the service again on the same database and Redis namespace (another port). */
  async startService(): Promise<void> {
    await this.boot();
  }

  async close(): Promise<void> {
    if (this.running) await this.app?.close();
    await this.subscriber?.close().catch(() => undefined);
    const ours = this.redis?.isReady ? await this.redis.keys(`${this.namespace}*`) : [];
    if (ours.length > 0) await this.redis.del(ours);
    await this.redis?.close().catch(() => undefined);
    await this.issuer.close();
    await this.testDatabase?.drop();
    this.testEnv.cleanup();
  }

  private async boot(): Promise<void> {
    this.config = apiKeysService.loadConfig(this.testEnv.env);
    const logs = captureLogs();
    this.logs.push(logs);
    ({ app: this.app } = await createServiceApp({ module: apiKeysService.module(this.config), config: this.config, description: apiKeysService.description, logDestination: logs.destination }));
    this.running = true;
    this.url = await listenOnLoopback(this.app);
    await waitFor(() => this.app.get(RevocationService).mode === 'live', 'revocation state loaded');
  }
}

/** Every log line written so far by every start of the service, as text. */
export function logText(harness: KeysHarness): string {
  return harness.logs.map((logs) => logs.lines.map((line) => JSON.stringify(line)).join('\n')).join('\n');
}
