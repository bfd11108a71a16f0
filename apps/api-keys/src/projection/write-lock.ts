import { Injectable } from '@nestjs/common';

/**
 * Runs this process's writes one at a time: key changes, maintenance and projection rebuilds.
 * A rebuild therefore never reads the database between a change's Redis write and its commit,
 * and on SQLite (one connection) no statement lands inside another writer's transaction.
 * Across processes on PostgreSQL, changes of one key are ordered by its row lock instead.
 */
@Injectable()
export class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every write queued so far has finished. */
  async drained(): Promise<void> {
    await this.run(async () => undefined);
  }
}
