import { createDatabaseIdentity, varcharColumn as text } from '@sso/platform';
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
    await createDatabaseIdentity(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('projection_source');
    await queryRunner.dropTable('revocations');
  }
}
