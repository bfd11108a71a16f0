import { timeColumn as time, varcharColumn as text } from '@sso/platform';
import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/** Sessions signed in through the browser: the hash of their cookie's secret, the device and the last use. */
export class BrowserSessions1796169700000 implements MigrationInterface {
  name = 'BrowserSessions1796169700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('sessions', [
      new TableColumn(text('browserSecretHash', 64, { isNullable: true })),
      new TableColumn(text('userAgent', 200, { isNullable: true })),
      new TableColumn(time(queryRunner, 'lastUsedAt', { isNullable: true })),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['lastUsedAt', 'userAgent', 'browserSecretHash']) await queryRunner.dropColumn('sessions', column);
  }
}
