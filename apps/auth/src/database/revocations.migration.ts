import { randomUUID } from 'node:crypto';
import { timeColumn as time, varcharColumn as text } from '@sso/platform';
import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/** The revocations the database now owns (Redis only projects them), and the database's identity. */
export class Revocations1796083200000 implements MigrationInterface {
  name = 'Revocations1796083200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'revocations',
        columns: [text('kind', 8, { isPrimary: true }), text('value', 255, { isPrimary: true }), { name: 'score', type: 'bigint' }],
        indices: [{ columnNames: ['kind', 'score'] }],
      }),
    );
    await queryRunner.createTable(new Table({ name: 'projection_source', columns: [text('id', 36, { isPrimary: true }), time(queryRunner, 'createdAt', { default: 'CURRENT_TIMESTAMP' })] }));
    // Random once, here: a copy of this database keeps it, any other database has its own.
    await queryRunner.manager.createQueryBuilder().insert().into('projection_source', ['id']).values({ id: randomUUID() }).execute();
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('projection_source');
    await queryRunner.dropTable('revocations');
  }
}
