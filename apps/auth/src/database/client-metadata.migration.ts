import { varcharColumn as text } from '@sso/platform';
import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * RFC 7591 metadata on clients: how each authenticates at the token endpoint, its grants, and
 * its redirect URIs. Clients registered before keep what they could do: client credentials and
 * token exchange, with a secret.
 */
export class ClientMetadata1796169600000 implements MigrationInterface {
  name = 'ClientMetadata1796169600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('clients', [
      new TableColumn(text('tokenEndpointAuthMethod', 32, { default: "'client_secret_basic'" })),
      new TableColumn({ name: 'grantTypes', type: 'text', default: `'["client_credentials","urn:ietf:params:oauth:grant-type:token-exchange"]'` }),
      new TableColumn({ name: 'redirectUris', type: 'text', default: "'[]'" }),
      new TableColumn({ name: 'postLogoutRedirectUris', type: 'text', default: "'[]'" }),
    ]);
    // A public client has no secret. PostgreSQL alters the column in place (TypeORM's changeColumn
    // would drop and re-add it, losing every secret); SQLite has no ALTER COLUMN, and TypeORM
    // copies the table into a new one.
    if (isPostgres(queryRunner)) await queryRunner.query('ALTER TABLE clients ALTER COLUMN "secretHash" DROP NOT NULL');
    else await queryRunner.changeColumn('clients', 'secretHash', new TableColumn(text('secretHash', 64, { isNullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM clients WHERE "secretHash" IS NULL`);
    if (isPostgres(queryRunner)) await queryRunner.query('ALTER TABLE clients ALTER COLUMN "secretHash" SET NOT NULL');
    else await queryRunner.changeColumn('clients', 'secretHash', new TableColumn(text('secretHash', 64)));
    for (const column of ['postLogoutRedirectUris', 'redirectUris', 'grantTypes', 'tokenEndpointAuthMethod']) await queryRunner.dropColumn('clients', column);
  }
}

function isPostgres(queryRunner: QueryRunner): boolean {
  return queryRunner.connection.options.type === 'postgres';
}
