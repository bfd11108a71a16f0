import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

export interface DatabaseConfig {
  service: string;
  DATABASE_URL?: string;
  dataDir: string;
}

export interface DatabaseSchema {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations?: MixedList<Function | string>;
}

/**
 * PostgreSQL when DATABASE_URL is set, else the SQLite file `<DATA_DIR>/<service>.sqlite`.
 * The schema only ever changes through migrations, run at start by `openDataSource` (one
 * replica at a time); `synchronize` stays off.
 */
export function dataSourceOptions(config: DatabaseConfig, schema: DatabaseSchema = {}): DataSourceOptions {
  const common = {
    entities: schema.entities ?? [],
    migrations: schema.migrations ?? [],
    migrationsTableName: 'migrations',
    synchronize: false,
  } as const;
  if (config.DATABASE_URL) {
    return {
      ...common,
      type: 'postgres',
      url: config.DATABASE_URL,
      applicationName: config.service,
      connectTimeoutMS: 2_000,
      extra: { max: 10 },
    };
  }
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  return {
    ...common,
    type: 'better-sqlite3',
    database: join(config.dataDir, `${config.service}.sqlite`),
    enableWAL: true,
    // Concurrent writers wait for the lock instead of failing at once with SQLITE_BUSY.
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('busy_timeout = 5000');
    },
  };
}
