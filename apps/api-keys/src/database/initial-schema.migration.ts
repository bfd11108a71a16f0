import { timeColumn as time, varcharColumn as text } from '@sso/platform';
import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

export class InitialSchema1764400000000 implements MigrationInterface {
  name = 'InitialSchema1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          text('id', 36, { isPrimary: true }),
          text('hash', 64, { isUnique: true }),
          text('visiblePart', 16),
          { name: 'acl', type: 'text' },
          text('description', 1000),
          { name: 'indexes', type: 'text' },
          { name: 'referers', type: 'text' },
          { name: 'maxHitsPerQuery', type: 'integer' },
          { name: 'maxQueriesPerIPPerHour', type: 'integer' },
          text('queryParameters', 2048),
          { name: 'validity', type: 'integer' },
          time(queryRunner, 'expiresAt', { isNullable: true }),
          time(queryRunner, 'createdAt'),
          time(queryRunner, 'updatedAt'),
          time(queryRunner, 'deletedAt', { isNullable: true }),
          time(queryRunner, 'lastUsedAt', { isNullable: true }),
          { name: 'sealedSecret', type: 'text', isNullable: true },
        ],
        // The maintenance timer looks for expired keys and old tombstones.
        indices: [{ columnNames: ['expiresAt'] }, { columnNames: ['deletedAt'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          text('type', 32),
          text('keyId', 36),
          text('actor', 255),
          time(queryRunner, 'at'),
          { name: 'details', type: 'text' },
        ],
        // Listings filter by key or type, newest (highest id) first.
        indices: [{ columnNames: ['keyId', 'id'] }, { columnNames: ['type', 'id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_events');
    await queryRunner.dropTable('api_keys');
  }
}
