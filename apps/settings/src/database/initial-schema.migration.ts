import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions } from 'typeorm';

/** Times are `timestamptz` on PostgreSQL and `datetime` on SQLite, both read back as Date. */
function time(queryRunner: QueryRunner, name: string): TableColumnOptions {
  return { name, type: queryRunner.connection.options.type === 'postgres' ? 'timestamptz' : 'datetime' };
}

const text = (name: string, length: number, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'varchar', length: String(length), ...options });

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
