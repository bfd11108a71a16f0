import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions } from 'typeorm';

/** Times are `timestamptz` on PostgreSQL and `datetime` on SQLite, both read back as Date. */
function time(queryRunner: QueryRunner, name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions {
  return { name, type: queryRunner.connection.options.type === 'postgres' ? 'timestamptz' : 'datetime', ...options };
}

const text = (name: string, length: number, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'varchar', length: String(length), ...options });

export class InitialSchema1764300000000 implements MigrationInterface {
  name = 'InitialSchema1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const created = (name: string) => time(queryRunner, name, { default: 'CURRENT_TIMESTAMP' });
    await queryRunner.createTable(
      new Table({
        name: 'products',
        columns: [
          text('id', 36, { isPrimary: true }),
          text('name', 200),
          text('description', 2_000, { default: "''" }),
          // Minor units; bigint so that expensive items cannot overflow on PostgreSQL.
          { name: 'price', type: 'bigint' },
          text('currency', 3),
          created('createdAt'),
          created('updatedAt'),
        ],
        indices: [{ columnNames: ['name'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'outbox',
        columns: [
          text('id', 36, { isPrimary: true }),
          text('subject', 255),
          text('service', 64),
          text('metric', 64),
          { name: 'quantity', type: 'integer' },
          time(queryRunner, 'occurredAt'),
          time(queryRunner, 'deliveredAt', { isNullable: true }),
        ],
        // The deliverer reads undelivered rows oldest first.
        indices: [{ columnNames: ['deliveredAt', 'occurredAt'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('outbox');
    await queryRunner.dropTable('products');
  }
}
