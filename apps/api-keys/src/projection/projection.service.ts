import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { apiKeysChannel, apiKeysHashKey, apiKeysLastUsedKey, encodeApiKeyEvent, encodeApiKeyRecord, encodeRevocationEvent, revocationChannel, revocationKey } from '@sso/contracts';
import { REDIS_CLIENT, SERVICE_CONFIG, withTimeout, type RedisClient } from '@sso/platform';
import { In, type Repository } from 'typeorm';
import type { ApiKeysConfig } from '../config.js';
import { ApiKey } from '../keys/api-key.entity.js';
import { changeOf, type KeyChange } from './key-record.js';
import { keyStoreUnavailable } from './key-store-unavailable.js';
import { WriteLock } from './write-lock.js';

const REDIS_WRITE_TIMEOUT_MS = 3_000;
/** Changes per MULTI during a rebuild: bounded transactions, still few round trips. */
const REBUILD_CHUNK = 200;

/**
 * Keeps the Redis projection of the keys (the hash and its event channel, see
 * @sso/contracts api-keys.ts) equal to the database, which is the source of truth.
 *
 * Every change is written with its event in one MULTI while the database transaction is still
 * open (KeyWriter); the hash is rebuilt from the database at start, every time the Redis client
 * becomes ready again (Redis may have restarted empty or missed writes), and after any write
 * whose outcome in Redis is unknown (a timed-out MULTI may still run later), which the
 * maintenance timer picks up through `needsRebuild`.
 */
@Injectable()
export class ProjectionService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('ApiKeyProjection');
  private readonly hashKey: string;
  private readonly channel: string;
  private readonly lastUsedKey: string;
  private readonly revokedSubjectsKey: string;
  private readonly revocationChannel: string;
  private readonly onReady = () => void this.rebuildQuietly('Redis became ready');
  /** A write's outcome in Redis is unknown: rebuild at the next opportunity. */
  needsRebuild = false;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(SERVICE_CONFIG) private readonly config: ApiKeysConfig,
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    private readonly lock: WriteLock,
  ) {
    this.hashKey = apiKeysHashKey(config.REDIS_NAMESPACE);
    this.channel = apiKeysChannel(config.REDIS_NAMESPACE);
    this.lastUsedKey = apiKeysLastUsedKey(config.REDIS_NAMESPACE);
    this.revokedSubjectsKey = revocationKey(config.REDIS_NAMESPACE, 'sub');
    this.revocationChannel = revocationChannel(config.REDIS_NAMESPACE);
  }

  onModuleInit(): void {
    this.redis.on('ready', this.onReady);
    if (this.redis.isReady) this.onReady();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.redis.off('ready', this.onReady);
    await this.lock.drained();
  }

  /**
   * Writes every key of the database to the hash and removes the fields of keys it no longer
   * has, publishing an event for each. Call it whenever Redis may have lost or missed writes.
   */
  rebuildProjection(): Promise<{ written: number; removed: number }> {
    return this.lock.run(() => this.rebuildNow());
  }

  /** Writes the changes and their events in one MULTI; a failure is a 503 for the caller, whose transaction then rolls back. */
  async publish(changes: readonly KeyChange[]): Promise<void> {
    if (changes.length === 0) return;
    if (!this.redis.isReady) throw keyStoreUnavailable();
    const multi = this.redis.multi();
    for (const { hash, keyId, record } of changes) {
      if (record) multi.hSet(this.hashKey, hash, encodeApiKeyRecord(record));
      else multi.hDel(this.hashKey, hash);
      if (!record && keyId) multi.zRem(this.lastUsedKey, keyId);
      multi.publish(this.channel, encodeApiKeyEvent(hash, record));
      if (record?.deletedAt != null) this.revokeExchangedTokens(multi, record.id, record.deletedAt);
    }
    try {
      await withTimeout(multi.exec(), REDIS_WRITE_TIMEOUT_MS, 'the Redis projection write');
    } catch (error) {
      this.needsRebuild = true;
      this.logger.warn(`projection write failed: ${(error as Error).message}`);
      throw keyStoreUnavailable();
    }
  }

  /**
   * Tokens exchanged at auth for a key have the key's id as subject: a cut-off at the key's
   * deletion (the revocation state of @sso/contracts, written as auth writes it) ends them
   * everywhere with the key. GT keeps the latest cut-off, so a rebuild rewriting it is harmless.
   */
  private revokeExchangedTokens(multi: ReturnType<RedisClient['multi']>, keyId: string, deletedAt: number): void {
    multi.zAdd(this.revokedSubjectsKey, { score: deletedAt, value: keyId }, { comparison: 'GT' });
    multi.publish(this.revocationChannel, encodeRevocationEvent({ kind: 'sub', value: keyId, score: deletedAt }));
  }

  /** After a failed commit: writes what the database now holds for these hashes (or their absence). */
  async reproject(hashes: readonly string[]): Promise<void> {
    try {
      const rows = await this.keys.findBy({ hash: In([...hashes]) });
      const found = new Map(rows.map((row) => [row.hash, row]));
      await this.publish(hashes.map((hash) => {
        const row = found.get(hash);
        return row ? changeOf(row, this.config.API_KEYS_APP_ID) : { hash, record: null };
      }));
    } catch (error) {
      this.needsRebuild = true;
      this.logger.error(`projection could not be restored after a failed commit: ${(error as Error).message}`);
    }
  }

  private async rebuildNow(): Promise<{ written: number; removed: number }> {
    this.needsRebuild = false;
    try {
      const rows = await this.keys.find({ order: { createdAt: 'ASC' } });
      const present = new Set(rows.map((row) => row.hash));
      const stored = await withTimeout(this.redis.hKeys(this.hashKey), REDIS_WRITE_TIMEOUT_MS, 'reading the Redis projection');
      const stray: KeyChange[] = stored.filter((hash) => !present.has(hash)).map((hash) => ({ hash, record: null }));
      const changes = [...rows.map((row) => changeOf(row, this.config.API_KEYS_APP_ID)), ...stray];
      for (let start = 0; start < changes.length; start += REBUILD_CHUNK) await this.publish(changes.slice(start, start + REBUILD_CHUNK));
      return { written: rows.length, removed: stray.length };
    } catch (error) {
      this.needsRebuild = true;
      throw error;
    }
  }

  private async rebuildQuietly(why: string): Promise<void> {
    try {
      const { written, removed } = await this.rebuildProjection();
      this.logger.log(`projection rebuilt (${why}): ${written} keys written, ${removed} stale entries removed`);
    } catch (error) {
      this.logger.warn(`projection rebuild failed (${why}): ${(error as Error).message}`);
    }
  }
}
