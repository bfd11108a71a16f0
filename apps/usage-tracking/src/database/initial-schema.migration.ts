import { timeColumn as time, varcharColumn as text } from '@sso/platform';
import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

export class InitialSchema1764300000000 implements MigrationInterface {
  name = 'InitialSchema1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'usage_events',
        columns: [
          text('subject', 255, { isPrimary: true }),
          text('id', 128, { isPrimary: true }),
          text('service', 64),
          text('metric', 64),
          { name: 'quantity', type: 'integer' },
          time(queryRunner, 'occurredAt'),
          time(queryRunner, 'receivedAt'),
          text('recordedBy', 255),
        ],
        // Summaries and listings read one subject's events over a period.
        indices: [{ columnNames: ['subject', 'occurredAt'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('usage_events');
  }
}
