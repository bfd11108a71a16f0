import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A subject that has been billed at least once. */
@Entity('customers')
export class Customer {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 255, unique: true })
  subject!: string;

  @CreateDateColumn()
  createdAt!: Date;
}
