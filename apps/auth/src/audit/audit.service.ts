import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { currentRequestId } from '@sso/platform';
import { LessThan, type FindOptionsWhere, type Repository } from 'typeorm';
import { AuditEvent } from './audit-event.entity.js';

export type AuditEventType =
  | 'login.succeeded'
  | 'login.failed'
  | 'login.throttled'
  | 'token.issued'
  | 'refresh_token.reuse_detected'
  | 'refresh_token.revoked'
  | 'authorization.granted'
  | 'authorization_code.reuse_detected'
  | 'session.revoked'
  | 'token.revoked'
  | 'user.revoked'
  | 'user.created'
  | 'user.updated'
  | 'user.deleted'
  | 'client.created'
  | 'client.updated'
  | 'client.deleted'
  | 'signing_key.created'
  | 'signing_key.rotated'
  | 'signing_key.retired'
  | 'signing_key.deleted';

export interface AuditRecord {
  type: AuditEventType;
  subject?: string;
  actor?: string;
  ip?: string;
  /** Facts only: ids, names, scopes, reasons. Never a password, token or secret. */
  details?: Record<string, unknown>;
}

export interface AuditQuery {
  type?: string;
  subject?: string;
  before?: Date;
  offset: number;
  limit: number;
}

@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  async record({ type, subject, actor, ip, details }: AuditRecord): Promise<void> {
    await this.events.save(
      this.events.create({
      id: randomUUID(),
      type,
      subject: subject ?? null,
      actor: actor ?? null,
      ip: ip ?? null,
      requestId: currentRequestId() ?? null,
      details: details ?? {},
      createdAt: new Date(),
      }),
    );
  }

  /** Newest first: one page of the events that match, and how many match in all. */
  list({ type, subject, before, offset, limit }: AuditQuery): Promise<[AuditEvent[], number]> {
    const where: FindOptionsWhere<AuditEvent> = {};
    if (type) where.type = type;
    if (subject) where.subject = subject;
    if (before) where.createdAt = LessThan(before);
    return this.events.findAndCount({ where, order: { createdAt: 'DESC', id: 'DESC' }, skip: offset, take: limit });
  }
}
