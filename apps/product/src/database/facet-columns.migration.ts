import { varcharColumn as text } from '@sso/platform';
import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

/** Brand and category: optional, facetable attributes of a product (the Algolia protocol filters and counts them). */
export class FacetColumns1780000000000 implements MigrationInterface {
  name = 'FacetColumns1780000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('products', [new TableColumn(text('brand', 100, { isNullable: true })), new TableColumn(text('category', 100, { isNullable: true }))]);
    // Filters and facet counts group on these; price ranges use the price index.
    await queryRunner.createIndices('products', [
      new TableIndex({ name: 'IDX_products_brand', columnNames: ['brand'] }),
      new TableIndex({ name: 'IDX_products_category', columnNames: ['category'] }),
      new TableIndex({ name: 'IDX_products_price', columnNames: ['price'] }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['IDX_products_price', 'IDX_products_category', 'IDX_products_brand']) await queryRunner.dropIndex('products', name);
    await queryRunner.dropColumns('products', ['category', 'brand']);
  }
}
