import { timeColumn as time, varcharColumn as text } from '@sso/platform';
import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/** Codes of the authorization code flow, stored as hashes until they expire. */
export class AuthorizationCodes1796169800000 implements MigrationInterface {
  name = 'AuthorizationCodes1796169800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'authorization_codes',
        columns: [
          text('codeHash', 64, { isPrimary: true }),
          text('clientId', 64),
          text('userId', 36),
          text('sessionId', 64),
          text('redirectUri', 2000),
          { name: 'scopes', type: 'text' },
          { name: 'openid', type: 'boolean' },
          text('nonce', 512, { isNullable: true }),
          text('codeChallenge', 128),
          { name: 'authTime', type: 'bigint' },
          time(queryRunner, 'expiresAt'),
          time(queryRunner, 'usedAt', { isNullable: true }),
          text('issuedJti', 36, { isNullable: true }),
          { name: 'issuedExp', type: 'bigint', isNullable: true },
        ],
        indices: [{ columnNames: ['expiresAt'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('authorization_codes');
  }
}
