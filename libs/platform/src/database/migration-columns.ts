import type { QueryRunner, TableColumnOptions } from 'typeorm';

/**
 * Column helpers for migrations written once for SQLite and PostgreSQL with TypeORM's Table API.
 * Times are `timestamptz` on PostgreSQL and `datetime` on SQLite, both read back as Date.
 */
export function timeColumn(queryRunner: QueryRunner, name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions {
  return { name, type: queryRunner.connection.options.type === 'postgres' ? 'timestamptz' : 'datetime', ...options };
}

export function varcharColumn(name: string, length: number, options: Partial<TableColumnOptions> = {}): TableColumnOptions {
  return { name, type: 'varchar', length: String(length), ...options };
}
