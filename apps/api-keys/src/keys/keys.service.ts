import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { API_KEY_VISIBLE_LENGTH, apiKeyHash, mintApiKey } from '@sso/contracts';
import { SERVICE_CONFIG } from '@sso/platform';
import { IsNull, type EntityManager, type Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { ApiKeysConfig } from '../config.js';
import { changeOf, changeTime } from '../projection/key-record.js';
import { KeyWriter } from '../projection/key-writer.js';
import { ApiKey } from './api-key.entity.js';
import type { KeySettings } from './dto/api-key-settings.dto.js';
import type { KeyAddress } from './key-address.js';
import { keyNotDeleted, keyNotFound } from './key-errors.js';
import { KeySecrets } from './key-secrets.js';
import { keyView, type ApiKeyView } from './key-views.js';

export interface CreatedKey {
  key: string;
  createdAt: string;
}

export interface UpdatedKey {
  key: string;
  updatedAt: string;
}

const isLive = (key: ApiKey, now: Date) => key.deletedAt === null && (key.expiresAt === null || key.expiresAt > now);

/**
 * The key API's use cases. Each change goes through KeyWriter (database transaction, Redis
 * projection before commit) with its audit event in the same transaction. A key is "live"
 * until deleted or past its validity; only live keys can be read, replaced or deleted.
 */
@Injectable()
export class KeysService {
  constructor(
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    @Inject(SERVICE_CONFIG) private readonly config: ApiKeysConfig,
    private readonly writer: KeyWriter,
    private readonly secrets: KeySecrets,
    private readonly audit: AuditService,
  ) {}

  /** Mints a key; the answer is the only place it ever appears. */
  create(settings: KeySettings, actor: string): Promise<CreatedKey> {
    const key = mintApiKey();
    const now = new Date();
    const row: ApiKey = {
      id: randomUUID(),
      hash: apiKeyHash(key),
      visiblePart: key.slice(0, API_KEY_VISIBLE_LENGTH),
      ...settings,
      expiresAt: expiryOf(settings.validity, now),
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      lastUsedAt: null,
      sealedSecret: this.secrets.mayParent(settings.acl) ? this.secrets.seal(key) : null,
    };
    return this.writer.write(async (manager) => {
      await manager.insert(ApiKey, row);
      await this.audit.record(manager, { type: 'created', keyId: row.id, actor, at: now, details: { acl: row.acl, validity: row.validity } });
      return { result: { key, createdAt: now.toISOString() }, changes: [changeOf(row, this.config.API_KEYS_APP_ID)] };
    });
  }

  async get(address: KeyAddress): Promise<ApiKeyView> {
    const now = new Date();
    const row = await this.keys.findOneBy(address.by === 'id' ? { id: address.id } : { hash: address.hash });
    if (!row || !isLive(row, now)) throw keyNotFound();
    return keyView(row, now.getTime());
  }

  async list(): Promise<ApiKeyView[]> {
    const now = new Date();
    const rows = await this.keys.find({ where: { deletedAt: IsNull() }, order: { createdAt: 'DESC', id: 'ASC' } });
    return rows.filter((row) => isLive(row, now)).map((row) => keyView(row, now.getTime()));
  }

  /**
   * Replaces every setting (unset ones take their defaults), as Algolia's PUT does. Adding
   * `search` seals the key only when the path carried the key itself; addressed by id, the key
   * is unknown here and stays without a sealed secret (it cannot parent secured keys).
   */
  update(address: KeyAddress, settings: KeySettings, actor: string): Promise<UpdatedKey> {
    return this.writer.write(async (manager) => {
      const now = new Date();
      const row = await this.find(manager, address);
      if (!isLive(row, now)) throw keyNotFound();
      const sealedSecret = !this.secrets.mayParent(settings.acl) ? null : (row.sealedSecret ?? (address.by === 'hash' && address.key ? this.secrets.seal(address.key) : null));
      Object.assign(row, settings, { expiresAt: expiryOf(settings.validity, now), updatedAt: changeTime(row, now), sealedSecret });
      await manager.save(ApiKey, row);
      await this.audit.record(manager, { type: 'updated', keyId: row.id, actor, at: now, details: { acl: row.acl, validity: row.validity, parent: sealedSecret !== null } });
      return { result: { key: row.id, updatedAt: row.updatedAt.toISOString() }, changes: [changeOf(row, this.config.API_KEYS_APP_ID)] };
    });
  }

  /** Soft delete: the key stays a tombstone (in the database and in Redis) for the restore period. */
  remove(address: KeyAddress, actor: string): Promise<{ deletedAt: string }> {
    return this.writer.write(async (manager) => {
      const now = new Date();
      const row = await this.find(manager, address);
      if (!isLive(row, now)) throw keyNotFound();
      row.deletedAt = now;
      row.updatedAt = changeTime(row, now);
      await manager.save(ApiKey, row);
      await this.audit.record(manager, { type: 'deleted', keyId: row.id, actor, at: now });
      return { result: { deletedAt: now.toISOString() }, changes: [changeOf(row, this.config.API_KEYS_APP_ID)] };
    });
  }

  /** Brings back a deleted (or expired) key within the restore period; its validity resets to 0, as at Algolia. */
  restore(address: KeyAddress, actor: string): Promise<CreatedKey> {
    return this.writer.write(async (manager) => {
      const now = new Date();
      const row = await this.find(manager, address);
      if (isLive(row, now)) throw keyNotDeleted();
      const goneSince = row.deletedAt ?? row.expiresAt ?? now;
      if (now.getTime() - goneSince.getTime() > this.config.API_KEYS_RESTORE_HOURS * 3_600_000) throw keyNotFound();
      Object.assign(row, { deletedAt: null, validity: 0, expiresAt: null, updatedAt: changeTime(row, now) });
      await manager.save(ApiKey, row);
      await this.audit.record(manager, { type: 'restored', keyId: row.id, actor, at: now });
      return { result: { key: row.id, createdAt: row.createdAt.toISOString() }, changes: [changeOf(row, this.config.API_KEYS_APP_ID)] };
    });
  }

  private async find(manager: EntityManager, address: KeyAddress): Promise<ApiKey> {
    const where = address.by === 'id' ? { id: address.id } : { hash: address.hash };
    const row = await manager.findOne(ApiKey, { where, ...this.writer.rowLock });
    if (!row) throw keyNotFound();
    return row;
  }
}

function expiryOf(validity: number, now: Date): Date | null {
  return validity > 0 ? new Date(now.getTime() + validity * 1000) : null;
}
