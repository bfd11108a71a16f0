import { randomUUID } from 'node:crypto';
import { timeColumn as time, varcharColumn as text } from '@sso/platform';
import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/**
 * The identity of this database: one row with a random id, made once when the database is
 * created. The Redis projection is marked with it, so a service never mixes its keys with a
 * projection built from another database (see ProjectionSource).
 */
export class ProjectionSource1766000000000 implements MigrationInterface {
  name = 'ProjectionSource1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(new Table({ name: 'projection_source', columns: [text('id', 36, { isPrimary: true }), time(queryRunner, 'createdAt')] }));
    await queryRunner.manager.createQueryBuilder().insert().into('projection_source', ['id', 'createdAt']).values({ id: randomUUID(), createdAt: new Date() }).execute();
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('projection_source');
  }
}
