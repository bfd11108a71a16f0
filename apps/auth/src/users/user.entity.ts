import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('users')
export class User {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  username!: string;

  /** `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>`: the parameters travel with the hash. */
  @Column({ type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column('simple-json')
  scopes!: string[];

  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;
}
