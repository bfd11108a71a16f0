import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { pageOf, type Page } from '@sso/platform';
import type { DataSource, Repository, SelectQueryBuilder } from 'typeorm';
import type { RecordUsageEventDto } from './dto/record-usage-event.dto.js';
import { UsageEvent } from './usage-event.entity.js';

export interface RecordResult {
  accepted: number;
  duplicates: number;
}

export interface UsageSummary {
  subject: string;
  from: string;
  to: string;
  metrics: Record<string, number>;
}

export interface UsageEventView {
  id: string;
  subject: string;
  service: string;
  metric: string;
  quantity: number;
  occurredAt: string;
  receivedAt: string;
}

export interface Period {
  from?: Date;
  to?: Date;
}

// 7 parameters per row: well under SQLite's 32,766 and PostgreSQL's 65,535 bind variables.
const ROWS_PER_STATEMENT = 500;

@Injectable()
export class UsageService {
  constructor(
    @InjectRepository(UsageEvent) private readonly events: Repository<UsageEvent>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Stores the events whose (subject, id) is new and ignores the others, in one transaction.
   * The database decides what is new (ON CONFLICT DO NOTHING) and reports how many rows it
   * inserted, so concurrent deliveries of one event count it exactly once.
   */
  async record(events: readonly RecordUsageEventDto[], recordedBy: string): Promise<RecordResult> {
    const receivedAt = new Date();
    // One lock order for every transaction: concurrent overlapping batches cannot deadlock.
    const rows = events
      .map((event) => ({ ...event, occurredAt: new Date(event.occurredAt), receivedAt, recordedBy }))
      .sort((a, b) => compare(a.subject, b.subject) || compare(a.id, b.id));
    let accepted = 0;
    await this.dataSource.transaction(async (manager) => {
      for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
        const [sql, parameters] = manager
          .createQueryBuilder()
          .insert()
          .into(UsageEvent)
          .values(rows.slice(start, start + ROWS_PER_STATEMENT))
          .orIgnore()
          .updateEntity(false)
          .getQueryAndParameters();
        // The insert builder's result drops the affected-row count; the structured query result keeps it.
        const result = await manager.queryRunner!.query(sql, parameters, true);
        accepted += result.affected ?? 0;
      }
    });
    return { accepted, duplicates: rows.length - accepted };
  }

  /** Totals per "<service>.<metric>" over [from, to), summed by the database. */
  async summary(subject: string, from: Date, to: Date): Promise<UsageSummary> {
    assertPeriod({ from, to });
    const totals = await this.events
      .createQueryBuilder('event')
      .select('event.service', 'service')
      .addSelect('event.metric', 'metric')
      .addSelect('SUM(event.quantity)', 'total')
      .where('event.subject = :subject', { subject })
      .andWhere('event.occurredAt >= :from AND event.occurredAt < :to', { from, to })
      .groupBy('event.service')
      .addGroupBy('event.metric')
      .orderBy('event.service')
      .addOrderBy('event.metric')
      .getRawMany<{ service: string; metric: string; total: string | number }>();
    // PostgreSQL returns SUM as a bigint string; totals stay far below 2^53.
    const metrics = Object.fromEntries(totals.map(({ service, metric, total }) => [`${service}.${metric}`, Number(total)]));
    return { subject, from: from.toISOString(), to: to.toISOString(), metrics };
  }

  async list(subject: string, period: Period, offset: number, limit: number): Promise<Page<UsageEventView>> {
    assertPeriod(period);
    const [events, total] = await this.inPeriod(this.events.createQueryBuilder('event'), subject, period)
      .orderBy('event.occurredAt', 'ASC')
      .addOrderBy('event.id', 'ASC')
      .skip(offset)
      .take(limit)
      .getManyAndCount();
    return pageOf(events.map(view), total, { offset, limit });
  }

  private inPeriod(query: SelectQueryBuilder<UsageEvent>, subject: string, { from, to }: Period): SelectQueryBuilder<UsageEvent> {
    query.where('event.subject = :subject', { subject });
    if (from) query.andWhere('event.occurredAt >= :from', { from });
    if (to) query.andWhere('event.occurredAt < :to', { to });
    return query;
  }
}

function assertPeriod({ from, to }: Period): void {
  if (from && to && from.getTime() >= to.getTime()) {
    throw new BadRequestException({ message: ['from must be before to'], code: 'invalid_period', error: 'Bad Request' });
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function view({ id, subject, service, metric, quantity, occurredAt, receivedAt }: UsageEvent): UsageEventView {
  return { id, subject, service, metric, quantity, occurredAt: occurredAt.toISOString(), receivedAt: receivedAt.toISOString() };
}
