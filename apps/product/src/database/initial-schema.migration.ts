import { timeColumn as time, varcharColumn as text } from '@sso/platform';
import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

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
