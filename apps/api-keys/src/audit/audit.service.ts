import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { pageOf, type Page } from '@sso/platform';
import type { EntityManager, FindOptionsWhere, Repository } from 'typeorm';
import { AuditEvent, type AuditEventType } from './audit-event.entity.js';

export interface AuditEntry {
  type: AuditEventType;
  keyId: string;
  actor: string;
  at: Date;
  /** Never a key: ACL names, times, the reporting service and IP. */
  details?: Record<string, unknown>;
}

export interface AuditEventView {
  id: number;
  type: AuditEventType;
  keyId: string;
  actor: string;
  at: string;
  details: Record<string, unknown>;
}

export interface AuditFilter {
  type?: AuditEventType;
  keyId?: string;
}

/** The key audit trail: written in the transaction of the change it records, read newest first. */
@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  async record(manager: EntityManager, entries: AuditEntry | readonly AuditEntry[]): Promise<void> {
    const rows = (Array.isArray(entries) ? entries : [entries]).map((entry: AuditEntry) => manager.create(AuditEvent, { ...entry, details: entry.details ?? {} }));
    if (rows.length > 0) await manager.save(AuditEvent, rows);
  }

  async list(filter: AuditFilter, offset: number, limit: number): Promise<Page<AuditEventView>> {
    const where: FindOptionsWhere<AuditEvent> = {};
    if (filter.type) where.type = filter.type;
    if (filter.keyId) where.keyId = filter.keyId;
    const [rows, total] = await this.events.findAndCount({ where, order: { id: 'DESC' }, skip: offset, take: limit });
    return pageOf(rows.map(view), total, { offset, limit });
  }
}

function view({ id, type, keyId, actor, at, details }: AuditEvent): AuditEventView {
  return { id, type, keyId, actor, at: at.toISOString(), details };
}
