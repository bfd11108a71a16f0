import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One refresh token, stored only as a hash; used once, then replaced. */
@Entity('refresh_tokens')
export class RefreshToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  sessionId!: string;

  /** SHA-256 of the token (hex). */
  @Column({ type: 'varchar', length: 64, unique: true })
  tokenHash!: string;

  /** The application it was issued to; null for a login's (the `sso-login` client). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  clientId!: string | null;

  /** The services' scopes an application's token was granted; null for a login's (the session's). */
  @Column({ type: 'simple-json', nullable: true })
  scopes!: string[] | null;

  @CreateDateColumn()
  createdAt!: Date;

  @Column()
  expiresAt!: Date;

  @Column({ type: Date, nullable: true })
  usedAt!: Date | null;
}
