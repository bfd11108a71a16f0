import { createDatabaseIdentity } from '@sso/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The identity of this database: one row with a random id, made once when the database is
 * created. The Redis projection is marked with it, so a service never mixes its keys with a
 * projection built from another database (see DatabaseIdentity of @sso/platform).
 */
export class ProjectionSource1766000000000 implements MigrationInterface {
  name = 'ProjectionSource1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createDatabaseIdentity(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('projection_source');
  }
}
