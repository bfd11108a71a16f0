import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { KeyChange } from './key-record.js';
import { ProjectionService } from './projection.service.js';
import { WriteLock } from './write-lock.js';

export interface Written<T> {
  result: T;
  /** What Redis must hold once the transaction commits. */
  changes: KeyChange[];
}

/**
 * The one way keys change. The database transaction does the work; the Redis write (record and
 * event, one MULTI) happens before the commit, so Redis down means 503 and a rollback: nothing
 * changed anywhere. If the commit itself then fails, the keys are re-projected from the
 * database, so Redis is never left more permissive than the database, and no write is lost.
 */
@Injectable()
export class KeyWriter {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly projection: ProjectionService,
    private readonly lock: WriteLock,
  ) {}

  write<T>(work: (manager: EntityManager) => Promise<Written<T>>): Promise<T> {
    return this.lock.run(async () => {
      const runner = this.dataSource.createQueryRunner();
      await runner.connect();
      let published: KeyChange[] = [];
      try {
        await runner.startTransaction();
        const { result, changes } = await work(runner.manager);
        await this.projection.publish(changes);
        published = changes;
        await runner.commitTransaction();
        return result;
      } catch (error) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        if (published.length > 0) await this.projection.reproject(published.map((change) => change.hash));
        throw error;
      } finally {
        await runner.release();
      }
    });
  }

  /** Row locks where the database has them (PostgreSQL), so writers in other processes queue per key. */
  get rowLock(): { lock?: { mode: 'pessimistic_write' } } {
    return this.dataSource.options.type === 'postgres' ? { lock: { mode: 'pessimistic_write' } } : {};
  }
}
