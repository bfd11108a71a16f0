import { randomUUID } from 'node:crypto';
import { API_KEY_SECRET_PURPOSE, apiKeyHash, apiKeysChannel, apiKeysHashKey, encodeApiKeyEvent, encodeApiKeyRecord, mintApiKey, SecretBox, type ApiKeyRecord } from '@sso/contracts';
import { createClient } from 'redis';
import { projectionMarker } from './projection-markers.js';

export type KeySettings = Partial<Omit<ApiKeyRecord, 'v' | 'id' | 'sealedSecret'>>;

/** A record with Algolia's defaults (every index, any referer, no limit), as the key service writes one; override any field. */
export function apiKeyRecord(overrides: Partial<Omit<ApiKeyRecord, 'v'>> = {}): Omit<ApiKeyRecord, 'v'> {
  return {
    id: randomUUID(),
    appId: 'SSODEMO',
    acl: ['search'],
    indexes: [],
    referers: [],
    maxHitsPerQuery: 0,
    maxQueriesPerIPPerHour: 0,
    queryParameters: '',
    expiresAt: null,
    deletedAt: null,
    version: Date.now(),
    ...overrides,
  };
}

/** Writes keys into Redis as the key service projects them (hash, then the channel), per contracts. */
export class ApiKeyWriter {
  readonly redis;
  private readonly box: SecretBox;

  constructor(
    url: string,
    readonly namespace: string,
    readonly encryptionSecret: string,
  ) {
    this.redis = createClient({ url, RESP: 2 });
    this.redis.on('error', () => undefined);
    this.box = new SecretBox(encryptionSecret, API_KEY_SECRET_PURPOSE);
  }

  /** Connects and, as the key service does once it has built the projection, marks it whole. */
  async connect(): Promise<this> {
    await this.redis.connect();
    await this.markWhole();
    return this;
  }

  async markWhole(): Promise<void> {
    await this.redis.set(...projectionMarker(this.namespace, 'api-keys'));
  }

  /**
   * A new key with the given settings (search keys get a sealed secret, so they may parent
   * secured keys); `key` chooses its value, e.g. a published test vector's parent.
   */
  async create(settings: KeySettings = {}, key = mintApiKey()): Promise<{ key: string; record: Omit<ApiKeyRecord, 'v'> }> {
    const acl = settings.acl ?? ['search'];
    const record = apiKeyRecord({ ...settings, acl, ...(acl.includes('search') ? { sealedSecret: this.box.seal(Buffer.from(key)) } : {}) });
    return { key, record: (await this.put(key, record)) as Omit<ApiKeyRecord, 'v'> };
  }

  /** Writes a record as the key service does, each write a new version of the key; returns what it wrote. */
  async put(key: string, given: Omit<ApiKeyRecord, 'v'> | null): Promise<Omit<ApiKeyRecord, 'v'> | null> {
    const hash = apiKeyHash(key);
    const record = given && { ...given, version: Math.max(given.version + 1, Date.now()) };
    const multi = this.redis.multi();
    if (record) multi.hSet(apiKeysHashKey(this.namespace), hash, encodeApiKeyRecord(record));
    else multi.hDel(apiKeysHashKey(this.namespace), hash);
    await multi.publish(apiKeysChannel(this.namespace), encodeApiKeyEvent(hash, record)).exec();
    return record;
  }

  async cleanUp(): Promise<void> {
    if (!this.redis.isReady) return;
    const keys = await this.redis.keys(`${this.namespace}apikeys*`);
    if (keys.length > 0) await this.redis.del(keys);
  }

  async close(): Promise<void> {
    if (this.redis.isReady) await this.redis.close();
    else this.redis.destroy();
  }
}
