import { randomBytes } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { In, type DataSource, type Repository } from 'typeorm';
import { etagOf, preconditionFailed, preconditionRequired, type WritePrecondition } from './preconditions.js';
import { SettingsDocument } from './settings-document.entity.js';

export interface StoredDocument {
  document: Record<string, unknown>;
  revision: string;
  etag: string;
}

export interface WriteResult {
  etag: string;
  created: boolean;
}

/**
 * Settings documents with optimistic concurrency. Every write is one conditional statement
 * (UPDATE … WHERE revision IN (…), INSERT … ON CONFLICT DO NOTHING) whose affected-row count
 * decides the answer, so of two writers holding the same ETag exactly one wins.
 */
@Injectable()
export class SettingsService {
  constructor(
    @InjectRepository(SettingsDocument) private readonly documents: Repository<SettingsDocument>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async page(subject: string, offset: number, limit: number): Promise<{ documents: Record<string, Record<string, unknown>>; total: number }> {
    const [rows, total] = await this.documents.findAndCount({ where: { subject }, order: { namespace: 'ASC' }, skip: offset, take: limit });
    return { documents: Object.fromEntries(rows.map((row) => [row.namespace, JSON.parse(row.document) as Record<string, unknown>])), total };
  }

  async get(subject: string, namespace: string): Promise<StoredDocument> {
    const row = await this.documents.findOneBy({ subject, namespace });
    if (!row) throw new NotFoundException({ message: `no settings in namespace ${namespace}`, code: 'settings_not_found', error: 'Not Found' });
    return { document: JSON.parse(row.document) as Record<string, unknown>, revision: row.revision, etag: etagOf(row.revision) };
  }

  async put(subject: string, namespace: string, json: string, precondition: WritePrecondition): Promise<WriteResult> {
    const revision = newRevision();
    const now = new Date();
    if (precondition.kind === 'if-match') {
      if (precondition.revisions !== '*' && precondition.revisions.length === 0) throw preconditionFailed();
      const update = this.documents
        .createQueryBuilder()
        .update(SettingsDocument)
        .set({ document: json, revision, updatedAt: now })
        .where({ subject, namespace, ...(precondition.revisions === '*' ? {} : { revision: In(precondition.revisions) }) });
      const { affected } = await update.execute();
      if (!affected) throw preconditionFailed();
      return { etag: etagOf(revision), created: false };
    }
    const [sql, parameters] = this.documents
      .createQueryBuilder()
      .insert()
      .into(SettingsDocument)
      .values({ subject, namespace, document: json, revision, createdAt: now, updatedAt: now })
      .orIgnore()
      .updateEntity(false)
      .getQueryAndParameters();
    if ((await this.affectedBy(sql, parameters)) === 0) throw precondition.kind === 'none' ? preconditionRequired() : preconditionFailed();
    return { etag: etagOf(revision), created: true };
  }

  async delete(subject: string, namespace: string, precondition: WritePrecondition): Promise<void> {
    if (precondition.kind !== 'if-match') throw preconditionRequired();
    if (precondition.revisions !== '*' && precondition.revisions.length === 0) throw preconditionFailed();
    const { affected } = await this.documents
      .createQueryBuilder()
      .delete()
      .from(SettingsDocument)
      .where({ subject, namespace, ...(precondition.revisions === '*' ? {} : { revision: In(precondition.revisions) }) })
      .execute();
    if (!affected) throw preconditionFailed();
  }

  /** The insert builder's result drops the affected-row count; the structured query result keeps it. */
  private async affectedBy(sql: string, parameters: unknown[]): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return (await runner.query(sql, parameters, true)).affected ?? 0;
    } finally {
      await runner.release();
    }
  }
}

function newRevision(): string {
  return randomBytes(16).toString('base64url');
}
