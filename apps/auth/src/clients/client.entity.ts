import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A confidential OAuth client: a service that obtains tokens with client credentials. */
@Entity('clients')
export class Client {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** SHA-256 of the secret (hex): the secret is 256 random bits, so a fast hash suffices. */
  @Column({ type: 'varchar', length: 64 })
  secretHash!: string;

  @Column('simple-json')
  scopes!: string[];

  @CreateDateColumn()
  createdAt!: Date;
}
