import { varcharColumn as text } from '@sso/platform';
import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * Applications signed in through the browser: a code may carry `offline_access`, a refresh token
 * may belong to an application (its client and scopes), and a session remembers the applications
 * it signed in to. A replayed code now ends its whole sign-in, so codes no longer note the
 * access token they were redeemed for.
 */
export class AppSignIns1796256000000 implements MigrationInterface {
  name = 'AppSignIns1796256000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('authorization_codes', new TableColumn({ name: 'offlineAccess', type: 'boolean', default: false }));
    await queryRunner.addColumns('refresh_tokens', [new TableColumn(text('clientId', 64, { isNullable: true })), new TableColumn({ name: 'scopes', type: 'text', isNullable: true })]);
    await queryRunner.addColumn('sessions', new TableColumn({ name: 'clientIds', type: 'text', isNullable: true }));
    for (const column of ['issuedJti', 'issuedExp']) await queryRunner.dropColumn('authorization_codes', column);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('authorization_codes', [new TableColumn(text('issuedJti', 36, { isNullable: true })), new TableColumn({ name: 'issuedExp', type: 'bigint', isNullable: true })]);
    await queryRunner.dropColumn('sessions', 'clientIds');
    for (const column of ['scopes', 'clientId']) await queryRunner.dropColumn('refresh_tokens', column);
    await queryRunner.dropColumn('authorization_codes', 'offlineAccess');
  }
}
