import { randomUUID } from 'node:crypto';
import { Column, Entity, PrimaryColumn, type DataSource, type QueryRunner, Table } from 'typeorm';
import { timeColumn, varcharColumn } from './migration-columns.js';

/**
 * The identity of a database that owns a projection in Redis: one row, a random UUID written by
 * the migration that creates the table. A projection's generation marker names it, so an owner
 * recognises a projection built from another database (another environment sharing the Redis
 * by mistake, a restore elsewhere) and replaces it rather than mixing it with its own. A copy of
 * the database keeps the id; any other database has its own.
 */
@Entity('projection_source')
export class DatabaseIdentity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: Date })
  createdAt!: Date;
}

/** For an owner's migration: creates the table and draws the identity, once. */
export async function createDatabaseIdentity(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.createTable(new Table({ name: 'projection_source', columns: [varcharColumn('id', 36, { isPrimary: true }), timeColumn(queryRunner, 'createdAt')] }));
  await queryRunner.manager.createQueryBuilder().insert().into('projection_source', ['id', 'createdAt']).values({ id: randomUUID(), createdAt: new Date() }).execute();
}

/** The identity of the service's database; throws when its migration has not run. */
export async function databaseIdentityOf(dataSource: DataSource): Promise<string> {
  const [row] = await dataSource.getRepository(DatabaseIdentity).find({ take: 1 });
  if (!row) throw new Error('projection_source holds no row: the migration that gives this database its identity has not run');
  return row.id;
}
