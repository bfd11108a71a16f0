import { timeColumn as time, varcharColumn as text } from '@sso/platform';
import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

export class InitialSchema1764300000000 implements MigrationInterface {
  name = 'InitialSchema1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'settings_documents',
        columns: [
          text('subject', 255, { isPrimary: true }),
          text('namespace', 64, { isPrimary: true }),
          { name: 'document', type: 'text' },
          text('revision', 32),
          time(queryRunner, 'createdAt'),
          time(queryRunner, 'updatedAt'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('settings_documents');
  }
}
