import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { InvoiceLine } from './invoice-line.js';

/** PostgreSQL returns bigint as a string; amounts stay far below 2^53. */
const bigintAsNumber = { to: (value: number) => value, from: (value: string | number | null) => (value === null ? value : Number(value)) };

@Entity('invoices')
export class Invoice {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  customerId!: string;

  @Column({ type: 'varchar', length: 255 })
  subject!: string;

  /** `YYYY-MM`, a calendar month in UTC. */
  @Column({ type: 'varchar', length: 7 })
  period!: string;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  total!: number;

  @Column('simple-json')
  lines!: InvoiceLine[];

  @CreateDateColumn()
  createdAt!: Date;
}
