import { timeColumn as time, varcharColumn as text } from '@sso/platform';
import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions } from 'typeorm';

const id = (name: string, length = 64): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isPrimary: true });

export class InitialSchema1764288000000 implements MigrationInterface {
  name = 'InitialSchema1764288000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const created = (name = 'createdAt') => time(queryRunner, name, { default: 'CURRENT_TIMESTAMP' });
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          id('id', 36),
          text('username', 64, { isUnique: true }),
          text('passwordHash', 255),
          { name: 'scopes', type: 'text' },
          { name: 'disabled', type: 'boolean', default: false },
          created(),
          created('updatedAt'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'clients',
        columns: [id('id'), text('name', 100), text('secretHash', 64), { name: 'scopes', type: 'text' }, created()],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [id('id'), text('userId', 36), { name: 'scopes', type: 'text' }, created(), time(queryRunner, 'expiresAt'), time(queryRunner, 'revokedAt', { isNullable: true })],
        indices: [{ columnNames: ['userId'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'refresh_tokens',
        columns: [
          id('id', 36),
          text('sessionId', 64),
          text('tokenHash', 64, { isUnique: true }),
          created(),
          time(queryRunner, 'expiresAt'),
          time(queryRunner, 'usedAt', { isNullable: true }),
        ],
        indices: [{ columnNames: ['sessionId'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'signing_keys',
        columns: [
          id('kid'),
          text('algorithm', 16),
          text('state', 16),
          { name: 'publicJwk', type: 'text' },
          { name: 'encryptedPrivateKey', type: 'text' },
          created(),
          time(queryRunner, 'activatedAt', { isNullable: true }),
          time(queryRunner, 'retiredAt', { isNullable: true }),
          time(queryRunner, 'removeAfter', { isNullable: true }),
          time(queryRunner, 'removedAt', { isNullable: true }),
        ],
        indices: [{ columnNames: ['state'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          id('id', 36),
          text('type', 64),
          text('subject', 128, { isNullable: true }),
          text('actor', 128, { isNullable: true }),
          text('ip', 64, { isNullable: true }),
          text('requestId', 128, { isNullable: true }),
          { name: 'details', type: 'text' },
          created(),
        ],
        indices: [{ columnNames: ['createdAt'] }, { columnNames: ['type', 'createdAt'] }, { columnNames: ['subject', 'createdAt'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['audit_events', 'signing_keys', 'refresh_tokens', 'sessions', 'clients', 'users']) await queryRunner.dropTable(table);
  }
}
