import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions } from 'typeorm';

/** Times are `timestamptz` on PostgreSQL and `datetime` on SQLite, both read back as Date. */
function time(queryRunner: QueryRunner, name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions {
  return { name, type: queryRunner.connection.options.type === 'postgres' ? 'timestamptz' : 'datetime', ...options };
}

const text = (name: string, length: number, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'varchar', length: String(length), ...options });

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
