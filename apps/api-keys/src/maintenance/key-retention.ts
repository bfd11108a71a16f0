import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG } from '@sso/platform';
import { IsNull, LessThanOrEqual } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { ApiKeysConfig } from '../config.js';
import { ApiKey } from '../keys/api-key.entity.js';
import { changeOf, changeTime, removalOf } from '../projection/key-record.js';
import { KeyWriter } from '../projection/key-writer.js';

/** Keys handled per transaction, so one run never holds a long transaction. */
const BATCH = 100;

/**
 * Validity and the restore period, applied by the maintenance timer: a key past its validity
 * becomes a tombstone (audit `expired`), and a tombstone past the restore period is removed
 * from the database and from Redis (audit `purged`, an event with a null record).
 */
@Injectable()
export class KeyRetention {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ApiKeysConfig,
    private readonly writer: KeyWriter,
    private readonly audit: AuditService,
  ) {}

  /** Returns how many keys expired. */
  expireDue(now = new Date()): Promise<number> {
    return this.writer.write(async (manager) => {
      const due = await manager.find(ApiKey, { where: { deletedAt: IsNull(), expiresAt: LessThanOrEqual(now) }, take: BATCH, ...this.writer.rowLock });
      for (const key of due) {
        key.deletedAt = now;
        key.updatedAt = changeTime(key, now);
      }
      if (due.length > 0) await manager.save(ApiKey, due);
      await this.audit.record(manager, due.map((key) => ({ type: 'expired' as const, keyId: key.id, actor: 'system', at: now, details: { expiresAt: key.expiresAt?.toISOString() } })));
      return { result: due.length, changes: due.map((key) => changeOf(key, this.config.API_KEYS_APP_ID)) };
    });
  }

  /** Returns how many tombstones were purged. */
  purgeTombstones(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.API_KEYS_RESTORE_HOURS * 3_600_000);
    return this.writer.write(async (manager) => {
      const old = await manager.find(ApiKey, { where: { deletedAt: LessThanOrEqual(cutoff) }, take: BATCH, ...this.writer.rowLock });
      if (old.length > 0) await manager.delete(ApiKey, old.map((key) => key.id));
      await this.audit.record(manager, old.map((key) => ({ type: 'purged' as const, keyId: key.id, actor: 'system', at: now, details: { deletedAt: key.deletedAt?.toISOString() } })));
      return { result: old.length, changes: old.map(removalOf) };
    });
  }
}
