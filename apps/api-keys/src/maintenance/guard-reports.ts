import { Inject, Injectable, Logger } from '@nestjs/common';
import { apiKeysDeletedUsesKey, apiKeysLastUsedKey, type ApiKeyUseAfterDelete } from '@sso/contracts';
import { REDIS_CLIENT, SERVICE_CONFIG, withTimeout, type RedisClient } from '@sso/platform';
import { DataSource } from 'typeorm';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService, type AuditEntry } from '../audit/audit.service.js';
import type { ApiKeysConfig } from '../config.js';
import { ApiKey } from '../keys/api-key.entity.js';
import { WriteLock } from '../projection/write-lock.js';

const REDIS_TIMEOUT_MS = 3_000;
/** Guards' clocks and flush intervals: re-read a minute of last-used times at each fold. */
const LAST_USED_OVERLAP_SECONDS = 60;
const DELETED_USES_PER_POP = 100;
const DELETED_USES_PER_RUN = 1_000;

/**
 * Folds in what guards report through Redis, so that no request costs this service a write:
 * last-used times (a sorted set written with ZADD GT) become `lastUsedAt` in the database,
 * and uses of deleted keys (a list) become `used_after_delete` audit events.
 */
@Injectable()
export class GuardReports {
  private readonly logger = new Logger('GuardReports');
  /** Scores below it were folded already (0 after a start: everything is read once). */
  private lastUsedSince = 0;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(SERVICE_CONFIG) private readonly config: ApiKeysConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
    private readonly audit: AuditService,
  ) {}

  /** Returns how many keys' lastUsedAt moved forward. */
  async foldLastUsed(): Promise<number> {
    const startedAt = Math.floor(Date.now() / 1000);
    const key = apiKeysLastUsedKey(this.config.REDIS_NAMESPACE);
    const entries = await withTimeout(this.redis.zRangeWithScores(key, this.lastUsedSince, '+inf', { BY: 'SCORE' }), REDIS_TIMEOUT_MS, 'reading last-used times');
    let moved = 0;
    await this.lock.run(async () => {
      for (const { value: id, score } of entries) {
        const at = new Date(score * 1000);
        const result = await this.dataSource
          .createQueryBuilder()
          .update(ApiKey)
          .set({ lastUsedAt: at })
          .where('id = :id AND ("lastUsedAt" IS NULL OR "lastUsedAt" < :at)', { id, at })
          .execute();
        moved += result.affected ?? 0;
      }
    });
    this.lastUsedSince = startedAt - LAST_USED_OVERLAP_SECONDS;
    return moved;
  }

  /** Moves reported uses of deleted keys into the audit trail; returns how many were recorded. */
  async drainDeletedUses(): Promise<number> {
    const key = apiKeysDeletedUsesKey(this.config.REDIS_NAMESPACE);
    let recorded = 0;
    while (recorded < DELETED_USES_PER_RUN) {
      const batch = await withTimeout(this.redis.lPopCount(key, DELETED_USES_PER_POP), REDIS_TIMEOUT_MS, 'reading deleted-key uses');
      if (!batch || batch.length === 0) break;
      const entries = batch.map(entryOf).filter((entry): entry is AuditEntry => entry !== undefined);
      if (entries.length < batch.length) this.logger.warn(`${batch.length - entries.length} malformed deleted-key use reports dropped`);
      try {
        await this.lock.run(() => this.dataSource.transaction((manager) => this.audit.record(manager, entries)));
      } catch (error) {
        // Put them back (in their order) for the next run rather than lose them.
        await this.redis.lPush(key, [...batch].reverse()).catch(() => undefined);
        throw error;
      }
      recorded += entries.length;
      if (batch.length < DELETED_USES_PER_POP) break;
    }
    return recorded;
  }
}

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function entryOf(json: string): AuditEntry | undefined {
  let use: Partial<ApiKeyUseAfterDelete>;
  try {
    use = JSON.parse(json) as Partial<ApiKeyUseAfterDelete>;
  } catch {
    return undefined;
  }
  if (typeof use !== 'object' || use === null) return undefined;
  const { keyId, service, at, ip } = use;
  if (typeof keyId !== 'string' || !KEY_ID.test(keyId) || typeof service !== 'string' || service.length === 0 || service.length > 255) return undefined;
  if (typeof at !== 'number' || !Number.isFinite(at) || at < 0) return undefined;
  const details: Record<string, unknown> = { service };
  if (typeof ip === 'string' && ip.length <= 64) details.ip = ip;
  return { type: 'used_after_delete', keyId: keyId.toLowerCase(), actor: service, at: new Date(at * 1000), details };
}
