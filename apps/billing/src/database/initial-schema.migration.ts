import { timeColumn as time, varcharColumn as text } from '@sso/platform';
import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

export class InitialSchema1764300000000 implements MigrationInterface {
  name = 'InitialSchema1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const created = time(queryRunner, 'createdAt', { default: 'CURRENT_TIMESTAMP' });
    await queryRunner.createTable(
      new Table({
        name: 'customers',
        columns: [text('id', 36, { isPrimary: true }), text('subject', 255, { isUnique: true }), created],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'invoices',
        columns: [
          text('id', 36, { isPrimary: true }),
          text('customerId', 36),
          text('subject', 255),
          text('period', 7),
          text('currency', 3),
          // Minor units; bigint so that a large usage cannot overflow on PostgreSQL.
          { name: 'total', type: 'bigint' },
          { name: 'lines', type: 'text' },
          created,
        ],
        // One invoice per subject and month, enforced by the database even under concurrent requests.
        uniques: [{ name: 'UQ_invoices_subject_period', columnNames: ['subject', 'period'] }],
        foreignKeys: [{ columnNames: ['customerId'], referencedTableName: 'customers', referencedColumnNames: ['id'] }],
        indices: [{ columnNames: ['createdAt'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('invoices');
    await queryRunner.dropTable('customers');
  }
}
