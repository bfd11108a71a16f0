import { Inject, Injectable } from '@nestjs/common';
import { REVOCATION_KINDS, type RevocationKind } from '@sso/contracts';
import { databaseIdentityOf, SERVICE_CONFIG } from '@sso/platform';
import { DataSource } from 'typeorm';
import type { AuthConfig } from '../config.js';
import { liveFrom, nowSeconds } from './revocation-retention.js';
import { Revocation } from './revocation.entity.js';

export interface RevocationEntry {
  value: string;
  score: number;
}

// Keeps the greater score, as ZADD GT does: a later cut-off wins, an earlier one never undoes it.
const UPSERT = {
  postgres: 'INSERT INTO "revocations" ("kind", "value", "score") VALUES ($1, $2, $3) ON CONFLICT ("kind", "value") DO UPDATE SET "score" = GREATEST("revocations"."score", EXCLUDED."score")',
  sqlite: 'INSERT INTO "revocations" ("kind", "value", "score") VALUES (?, ?, ?) ON CONFLICT ("kind", "value") DO UPDATE SET "score" = MAX("score", excluded."score")',
};

/**
 * The revocations the database owns: every live one is a row here before it is written to
 * Redis, so a Redis that forgets them (restart, failover, flush) can be given them back by a
 * rebuild (RevocationProjection). Rows past use are pruned by the rule Redis is pruned by.
 */
@Injectable()
export class RevocationStore {
  private readonly ttl: number;
  private source?: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) config: AuthConfig,
  ) {
    this.ttl = config.AUTH_ACCESS_TOKEN_TTL_SECONDS;
  }

  async record(kind: RevocationKind, value: string, score: number): Promise<void> {
    await this.dataSource.query(this.dataSource.options.type === 'postgres' ? UPSERT.postgres : UPSERT.sqlite, [kind, value, score]);
  }

  async score(kind: RevocationKind, value: string): Promise<number | null> {
    const row = await this.dataSource.getRepository(Revocation).findOneBy({ kind, value });
    return row?.score ?? null;
  }

  /** The live entries of one kind, `size` at a time, in value order (keyset pages on the primary key). */
  async *live(kind: RevocationKind, size: number, now = nowSeconds()): AsyncGenerator<RevocationEntry[]> {
    const from = liveFrom(kind, now, this.ttl);
    let after: string | undefined;
    for (;;) {
      const query = this.dataSource.getRepository(Revocation).createQueryBuilder('r').select('r.value', 'value').addSelect('r.score', 'score').where('r.kind = :kind', { kind });
      if (from !== undefined) query.andWhere('r.score >= :from', { from });
      if (after !== undefined) query.andWhere('r.value > :after', { after });
      const rows = await query.orderBy('r.value', 'ASC').limit(size).getRawMany<{ value: string; score: string | number }>();
      if (rows.length > 0) yield rows.map((row) => ({ value: row.value, score: Number(row.score) }));
      if (rows.length < size) return;
      after = rows[rows.length - 1].value;
    }
  }

  /** Deletes the rows that can no longer refuse a live token; returns how many. kid rows stay. */
  async prune(now = nowSeconds()): Promise<number> {
    let removed = 0;
    for (const kind of REVOCATION_KINDS) {
      const from = liveFrom(kind, now, this.ttl);
      if (from === undefined) continue;
      const result = await this.dataSource.createQueryBuilder().delete().from(Revocation).where('kind = :kind AND score < :from', { kind, from }).execute();
      removed += result.affected ?? 0;
    }
    return removed;
  }

  /** This database's identity (DatabaseIdentity of @sso/platform); read once. */
  sourceId(): Promise<string> {
    this.source ??= databaseIdentityOf(this.dataSource);
    // A failed read (database away) is retried at the next call, not remembered.
    this.source.catch(() => (this.source = undefined));
    return this.source;
  }
}
