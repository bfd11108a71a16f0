import { Logger } from '@nestjs/common';
import {
  apiKeyRateKey,
  apiKeysChannel,
  apiKeysDeletedUsesKey,
  apiKeysHashKey,
  apiKeysLastUsedKey,
  decodeApiKeyEvent,
  decodeApiKeyRecord,
  projectionGenerationKey,
  type ApiKeyEvent,
  type ApiKeyRecord,
  type ApiKeyUseAfterDelete,
  API_KEY_SECRET_PURPOSE,
  SecretBox,
} from '@sso/contracts';
import { withTimeout, type RedisClient } from '@sso/contracts';
import type { Registry } from 'prom-client';
import { DEFAULT_REDIS_COMMAND_TIMEOUT_MS, DEFAULT_SUBSCRIBER_CHECK_INTERVAL_MS } from '../auth.options.js';
import { LiveProjection, type ProjectionMode, type ProjectionSettings } from '../projection/live-projection.js';
import { ApiKeyState, type ParentKey } from './api-key-state.js';

/** Redis cannot answer: the caller must refuse the request (503). */
export class ApiKeysUnavailableError extends Error {}

export interface ApiKeyStoreSettings extends ProjectionSettings {
  namespace: string;
  /** Opens the secrets of parent keys; without it no secured key is accepted. */
  box?: SecretBox;
  /** How often accumulated last-used times are written to Redis; default 5,000 ms. */
  lastUsedFlushIntervalMs?: number;
}

export interface ApiKeyStoreOptions {
  redisUrl: string;
  namespace: string;
  /** The service's name: Redis client names, and who reports a deleted key's use. */
  service: string;
  /** API_KEYS_ENCRYPTION_SECRET; without it no secured key is accepted. */
  encryptionSecret?: string;
  commandTimeoutMs?: number;
  subscriberCheckIntervalMs?: number;
  lastUsedFlushIntervalMs?: number;
  /** Where the projection's generation and age are exposed. */
  registry?: Registry;
}

/** An ApiKeyStore with the guard library's defaults, for AuthModule and for a service that checks keys itself. */
export function createApiKeyStore({ redisUrl, namespace, service, encryptionSecret, ...timings }: ApiKeyStoreOptions): ApiKeyStore {
  return new ApiKeyStore(
    {
      redisUrl,
      namespace,
      clientName: service,
      commandTimeoutMs: timings.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS,
      subscriberCheckIntervalMs: timings.subscriberCheckIntervalMs ?? DEFAULT_SUBSCRIBER_CHECK_INTERVAL_MS,
      box: encryptionSecret ? new SecretBox(encryptionSecret, API_KEY_SECRET_PURPOSE) : undefined,
      lastUsedFlushIntervalMs: timings.lastUsedFlushIntervalMs,
      registry: timings.registry,
    },
    service,
  );
}

/** One INCR and its window's expiry, atomically: parallel requests can never both see the same count. */
const COUNT_REQUEST = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count`;

const HOUR = 3_600;
/** A deleted key's repeated use is reported once a minute per key and process, not per request. */
const DELETED_USE_REPORT_INTERVAL_MS = 60_000;
const DELETED_USES_KEPT = 10_000;

/**
 * The API keys the key service projects into Redis (see @sso/contracts api-keys.ts), as a
 * LiveProjection: in live mode a lookup is a Map read. While the projection is not live, each
 * lookup asks Redis; when Redis cannot answer it throws ApiKeysUnavailableError. Also holds
 * what guards write back, batched so a request costs no Redis write: last-used times (every
 * few seconds) and uses of deleted keys (once a minute per key); and the rate counters of keys
 * with `maxQueriesPerIPPerHour` (one script call per request of such a key only).
 */
export class ApiKeyStore {
  private readonly logger = new Logger('ApiKeys');
  private readonly projection: LiveProjection<ApiKeyState, ApiKeyEvent>;
  private readonly lastUsed = new Map<string, number>();
  private readonly deletedUseReported = new Map<string, number>();
  private flushTimer?: NodeJS.Timeout;

  constructor(
    private readonly settings: ApiKeyStoreSettings,
    private readonly service: string,
  ) {
    const { namespace, box } = settings;
    this.projection = new LiveProjection(
      {
        name: 'api-keys',
        channel: apiKeysChannel(namespace),
        generationKey: projectionGenerationKey(namespace, 'api-keys'),
        load: (client) => loadApiKeyState(client, namespace, box),
        decode: decodeApiKeyEvent,
        apply: (state, event) => state.apply(event),
        merge: (held, loaded) => held.merge(loaded),
      },
      settings,
    );
  }

  get mode(): ProjectionMode {
    return this.projection.mode;
  }

  start(): void {
    this.projection.start();
    this.flushTimer = setInterval(() => void this.flushLastUsed(), this.settings.lastUsedFlushIntervalMs ?? 5_000).unref();
  }

  async close(): Promise<void> {
    clearInterval(this.flushTimer);
    await this.flushLastUsed();
    await this.projection.close();
  }

  /**
   * The record of a key by its SHA-256, or undefined for an unknown key. Not live, the later of
   * what memory holds and what a whole Redis says; a key memory knows deleted stays refused
   * even when Redis cannot tell.
   */
  find(hash: string): ApiKeyRecord | undefined | Promise<ApiKeyRecord | undefined> {
    const state = this.projection.state;
    if (state) return state.get(hash);
    return this.findInRedis(hash);
  }

  /** Every key that may parent a secured key. */
  parents(): Iterable<ParentKey> | Promise<Iterable<ParentKey>> {
    const state = this.projection.state;
    if (state) return state.parents;
    return this.ask(async () => {
      const [entries] = await this.projection.readWhole((multi) => void multi.hGetAll(apiKeysHashKey(this.settings.namespace)));
      const loaded = apiKeyStateOf(entries as Record<string, string>, this.settings.box);
      const held = this.projection.held;
      if (held) loaded.merge(held);
      return loaded.parents;
    });
  }

  /** Counts one request of `who` with a limited key; returns the count this hour and the seconds left in it. */
  async countRequest(keyId: string, who: string): Promise<{ count: number; retryAfterSeconds: number }> {
    const now = Math.floor(Date.now() / 1000);
    const hour = Math.floor(now / HOUR);
    const key = apiKeyRateKey(this.settings.namespace, keyId, who, hour);
    const count = await this.ask(() => withTimeout(this.projection.client.eval(COUNT_REQUEST, { keys: [key], arguments: [String(HOUR + 60)] }), this.settings.commandTimeoutMs, 'rate count'));
    return { count: Number(count), retryAfterSeconds: (hour + 1) * HOUR - now };
  }

  /** Kept in memory; written to Redis with the next flush. */
  recordUse(keyId: string): void {
    this.lastUsed.set(keyId, Math.floor(Date.now() / 1000));
  }

  /** Tells the key service (through Redis) that a deleted key was tried; best effort. */
  reportDeletedUse(keyId: string, ip: string | undefined): void {
    const now = Date.now();
    if (now - (this.deletedUseReported.get(keyId) ?? 0) < DELETED_USE_REPORT_INTERVAL_MS) return;
    this.deletedUseReported.set(keyId, now);
    const client = this.projection.client;
    if (!client.isReady) return;
    const use: ApiKeyUseAfterDelete = { keyId, service: this.service, at: Math.floor(now / 1000), ...(ip ? { ip } : {}) };
    const key = apiKeysDeletedUsesKey(this.settings.namespace);
    client
      .multi()
      .rPush(key, JSON.stringify(use))
      .lTrim(key, -DELETED_USES_KEPT, -1)
      .exec()
      .catch((error: Error) => this.logger.warn(`use of a deleted key not reported: ${error.message}`));
  }

  private async flushLastUsed(): Promise<void> {
    const client = this.projection.client;
    if (this.lastUsed.size === 0 || !client.isReady) return;
    const members = [...this.lastUsed].map(([value, score]) => ({ value, score }));
    this.lastUsed.clear();
    try {
      await client.zAdd(apiKeysLastUsedKey(this.settings.namespace), members, { comparison: 'GT' });
    } catch (error) {
      // Kept for the next flush, unless a newer use came in meanwhile.
      for (const { value, score } of members) if ((this.lastUsed.get(value) ?? 0) < score) this.lastUsed.set(value, score);
      this.logger.warn(`last-used times not written: ${(error as Error).message}`);
    }
  }

  private async findInRedis(hash: string): Promise<ApiKeyRecord | undefined> {
    const held = this.projection.held?.get(hash);
    let stored: ApiKeyRecord | undefined;
    try {
      const [json] = await this.projection.readWhole((multi) => void multi.hGet(apiKeysHashKey(this.settings.namespace), hash));
      stored = decodeApiKeyRecord(json as string | null);
    } catch (error) {
      if (held && held.deletedAt !== null) return held;
      throw new ApiKeysUnavailableError((error as Error).message);
    }
    if (!stored) return held && held.deletedAt !== null ? held : undefined;
    return held && held.version > stored.version ? held : stored;
  }

  /** Runs `work`, turning any Redis failure into ApiKeysUnavailableError (the guard's 503). */
  private async ask<T>(work: () => Promise<T>): Promise<T> {
    if (!this.projection.client.isReady) throw new ApiKeysUnavailableError('Redis is not connected');
    try {
      return await work();
    } catch (error) {
      // A timeout, a lost connection, or a projection that is not whole (ProjectionUnavailableError).
      throw new ApiKeysUnavailableError((error as Error).message);
    }
  }
}

async function loadApiKeyState(client: RedisClient, namespace: string, box?: SecretBox): Promise<ApiKeyState> {
  return apiKeyStateOf(await client.hGetAll(apiKeysHashKey(namespace)), box);
}

function apiKeyStateOf(entries: Record<string, string>, box?: SecretBox): ApiKeyState {
  const state = new ApiKeyState(box);
  for (const [hash, json] of Object.entries(entries)) {
    const record = decodeApiKeyRecord(json);
    if (record) state.apply({ hash, record });
  }
  return state;
}
