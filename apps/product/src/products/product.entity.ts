import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** PostgreSQL returns bigint as a string; prices are bounded far below 2^53 by validation. */
const bigintAsNumber = { to: (value: number) => value, from: (value: string | number | null) => (value === null ? value : Number(value)) };

@Entity('products')
export class Product {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 2_000, default: '' })
  description!: string;

  /** Minor units (cents). */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  price!: number;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  /** Optional and facetable, like category; null when the product has none. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  brand!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  category!: string | null;

  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;
}
