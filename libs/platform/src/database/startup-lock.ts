import { DataSource, type DataSourceOptions, type EntityManager } from 'typeorm';

/**
 * Replicas of one service may start at once against one PostgreSQL database. What they do
 * once per database (migrations, a first signing key) runs under a PostgreSQL advisory lock,
 * so they take turns and the second finds the first one's work done. Advisory locks belong
 * to the database they are taken in: services with databases of their own never wait for
 * each other. On SQLite (one file on one host, the development default) nothing is locked.
 */
const MIGRATIONS_LOCK = 'sso:migrations';

function isPostgres(dataSource: DataSource): boolean {
  return dataSource.options.type === 'postgres';
}

/** Runs `work` holding the session-level advisory lock `name` on a connection of its own. */
export async function withAdvisoryLock<T>(dataSource: DataSource, name: string, work: () => Promise<T>): Promise<T> {
  if (!isPostgres(dataSource)) return work();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
    }
  } finally {
    await runner.release();
  }
}

/** Inside a transaction: waits for the advisory lock `name`, held until the transaction ends. */
export async function lockForTransaction(manager: EntityManager, name: string): Promise<void> {
  if (manager.connection.options.type !== 'postgres') return;
  await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [name]);
}

/** Opens the data source, then runs its pending migrations, one replica at a time. */
export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
  try {
    await withAdvisoryLock(dataSource, MIGRATIONS_LOCK, () => dataSource.runMigrations());
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
