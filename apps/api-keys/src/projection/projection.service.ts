import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { apiKeysChannel, apiKeysDeletedUsesKey, apiKeysHashKey, apiKeysLastUsedKey, encodeApiKeyEvent, encodeApiKeyRecord, encodeRevocationEvent, revocationChannel, revocationKey } from '@sso/contracts';
import { databaseIdentityOf, MetricsService, ProjectionKeeper, REDIS_CLIENT, SERVICE_CONFIG, withTimeout, type ProjectionOwner, type RedisClient } from '@sso/platform';
import { In, MoreThan, type Repository } from 'typeorm';
import type { ApiKeysConfig } from '../config.js';
import { ApiKey } from '../keys/api-key.entity.js';
import { changeOf, type KeyChange } from './key-record.js';
import { keyStoreUnavailable } from './key-store-unavailable.js';
import { WriteLock } from './write-lock.js';

const REDIS_WRITE_TIMEOUT_MS = 3_000;
/** Keys read and written per MULTI during a rebuild: bounded memory and transactions, still few round trips. */
const REBUILD_PAGE = 1_000;
const UNKNOWN_OUTCOME = 'a Redis write whose outcome is unknown';

/**
 * A rebuild's write of one record: skipped when the hash already holds a later version, which a
 * change committed by another replica while this rebuild read its page may have written.
 */
const WRITE_UNLESS_NEWER = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local ok, held = pcall(cjson.decode, current)
  if ok and type(held) == 'table' and tonumber(held.version) and tonumber(held.version) > tonumber(ARGV[3]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1`;

/**
 * Keeps the Redis projection of the keys (the hash and its event channel, see
 * @sso/contracts api-keys.ts) equal to the database, which is the source of truth; Redis may
 * forget it at any time (a restart without persistence, a failover to a lagging replica, a flush).
 *
 * Every change is written with its event in one MULTI while the database transaction is still
 * open (KeyWriter). As the projection's owner ('api-keys', identified by this database's
 * DatabaseIdentity row) it has a ProjectionKeeper rebuild the whole hash, under a new generation
 * marker, at start, every time the Redis client becomes ready again, whenever the marker is
 * missing or another database's, and after any write whose outcome in Redis is unknown (a
 * timed-out MULTI may still run later); that last request is repeated every check interval
 * until a rebuild has run, because the keeper cannot tell it from the marker.
 */
@Injectable()
export class ProjectionService implements ProjectionOwner, OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly name = 'api-keys' as const;
  private readonly logger = new Logger('ApiKeyProjection');
  private readonly hashKey: string;
  private readonly channel: string;
  private readonly lastUsedKey: string;
  private readonly deletedUsesKey: string;
  private readonly revokedSubjectsKey: string;
  private readonly revocationChannel: string;
  private readonly keeper: ProjectionKeeper;
  private source?: Promise<string>;
  /** A write's outcome in Redis is unknown and no rebuild has started since. */
  private rebuildOwed = false;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(SERVICE_CONFIG) private readonly config: ApiKeysConfig,
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    private readonly lock: WriteLock,
    metrics: MetricsService,
  ) {
    const namespace = config.REDIS_NAMESPACE;
    this.hashKey = apiKeysHashKey(namespace);
    this.channel = apiKeysChannel(namespace);
    this.lastUsedKey = apiKeysLastUsedKey(namespace);
    this.deletedUsesKey = apiKeysDeletedUsesKey(namespace);
    this.revokedSubjectsKey = revocationKey(namespace, 'sub');
    this.revocationChannel = revocationChannel(namespace);
    this.keeper = new ProjectionKeeper(redis, this, { namespace, checkIntervalMs: config.API_KEYS_PROJECTION_CHECK_INTERVAL_MS, registry: metrics.registry });
  }

  onApplicationBootstrap(): void {
    this.keeper.start();
    this.retryTimer = setInterval(() => {
      if (this.rebuildOwed && this.redis.isReady) void this.keeper.rebuild(UNKNOWN_OUTCOME);
    }, this.config.API_KEYS_PROJECTION_CHECK_INTERVAL_MS).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.retryTimer);
    await this.keeper.close();
    await this.lock.drained();
  }

  /** This database's identity (DatabaseIdentity of @sso/platform), read once. */
  sourceId(): Promise<string> {
    this.source ??= databaseIdentityOf(this.keys.manager.connection);
    return this.source.catch((error: unknown) => {
      this.source = undefined;
      throw error;
    });
  }

  /**
   * For the keeper: the whole projection from the database. A hash built from another database
   * (`foreign`) is deleted first, with the guards' reports about its keys, so no key of another
   * database survives next to ours; its fields still get a null event for guards that hold them.
   */
  async rebuild(foreign: boolean): Promise<number> {
    const { written } = await this.lock.run(() => this.rebuildNow(foreign));
    return written;
  }

  /**
   * Writes every key of the database to the hash and removes the fields of keys it no longer
   * has, publishing an event for each: what `rebuild` does for the keeper, on demand, leaving
   * the generation marker alone.
   */
  rebuildProjection(): Promise<{ written: number; removed: number }> {
    return this.lock.run(() => this.rebuildNow(false));
  }

  /** Writes the changes and their events in one MULTI; a failure is a 503 for the caller, whose transaction then rolls back. */
  async publish(changes: readonly KeyChange[]): Promise<void> {
    if (changes.length === 0) return;
    if (!this.redis.isReady) throw keyStoreUnavailable();
    try {
      await this.write(changes);
    } catch (error) {
      this.askRebuild();
      this.logger.warn(`projection write failed: ${(error as Error).message}`);
      throw keyStoreUnavailable();
    }
  }

  /** `unlessNewer`: records older than the hash's are not written back (WRITE_UNLESS_NEWER). */
  private async write(changes: readonly KeyChange[], { unlessNewer = false } = {}): Promise<void> {
    const multi = this.redis.multi();
    for (const { hash, keyId, record } of changes) {
      const event = encodeApiKeyEvent(hash, record);
      if (record && unlessNewer) multi.eval(WRITE_UNLESS_NEWER, { keys: [this.hashKey], arguments: [hash, encodeApiKeyRecord(record), String(record.version), this.channel, event] });
      else {
        if (record) multi.hSet(this.hashKey, hash, encodeApiKeyRecord(record));
        else multi.hDel(this.hashKey, hash);
        multi.publish(this.channel, event);
      }
      if (!record && keyId) multi.zRem(this.lastUsedKey, keyId);
      if (record?.deletedAt != null) this.revokeExchangedTokens(multi, record.id, record.deletedAt);
    }
    await withTimeout(multi.exec(), REDIS_WRITE_TIMEOUT_MS, 'the Redis projection write');
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
      this.askRebuild();
      this.logger.error(`projection could not be restored after a failed commit: ${(error as Error).message}`);
    }
  }

  /** Not awaited: the caller may hold the write lock that the rebuild waits for. */
  private askRebuild(): void {
    this.rebuildOwed = true;
    void this.keeper.rebuild(UNKNOWN_OUTCOME);
  }

  /**
   * Reads the database a page at a time (keyset on id), writing each page as one MULTI, so a
   * rebuild of many keys holds one page in memory. The fields present before it started and
   * not in the database are then removed.
   */
  private async rebuildNow(foreign: boolean): Promise<{ written: number; removed: number }> {
    // Owed after a write of unknown outcome, the database's records must win even over later
    // versions (the late write's); otherwise a later version in Redis is another replica's change.
    const unlessNewer = !this.rebuildOwed;
    this.rebuildOwed = false;
    try {
      const stored = await withTimeout(this.redis.hKeys(this.hashKey), REDIS_WRITE_TIMEOUT_MS, 'reading the Redis projection');
      if (foreign) await withTimeout(this.redis.del([this.hashKey, this.lastUsedKey, this.deletedUsesKey]), REDIS_WRITE_TIMEOUT_MS, 'removing another database’s projection');
      const present = new Set<string>();
      // One page in Redis while the next is read; a failure surfaces at the next await.
      let writing: Promise<void> = Promise.resolve();
      for (let after: string | undefined; ; ) {
        const page = await this.keys.find({ where: after === undefined ? {} : { id: MoreThan(after) }, order: { id: 'ASC' }, take: REBUILD_PAGE });
        await writing;
        if (page.length === 0) break;
        for (const row of page) present.add(row.hash);
        writing = this.write(page.map((row) => changeOf(row, this.config.API_KEYS_APP_ID)), { unlessNewer });
        writing.catch(() => undefined);
        after = page[page.length - 1].id;
      }
      const stray: KeyChange[] = stored.filter((hash) => !present.has(hash)).map((hash) => ({ hash, record: null }));
      for (let start = 0; start < stray.length; start += REBUILD_PAGE) await this.write(stray.slice(start, start + REBUILD_PAGE));
      return { written: present.size, removed: stray.length };
    } catch (error) {
      // The keeper retries once the marker is found missing; a direct call is retried as owed.
      this.rebuildOwed = true;
      throw error;
    }
  }
}
