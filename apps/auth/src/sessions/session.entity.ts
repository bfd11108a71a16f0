import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A login: every access and refresh token of one sign-in carries its id as `sid`. */
@Entity('sessions')
export class Session {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  /** What the user asked for at login; each refresh narrows it to what the user still holds. */
  @Column('simple-json')
  scopes!: string[];

  @CreateDateColumn()
  createdAt!: Date;

  /** The absolute end: no refresh past it. */
  @Column()
  expiresAt!: Date;

  @Column({ type: Date, nullable: true })
  revokedAt!: Date | null;

  /** A browser sign-in at the issuer: SHA-256 (hex) of the secret half of its cookie; null for an API login. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  browserSecretHash!: string | null;

  /** The browser's User-Agent at sign-in (cut to 200 characters), for the account page. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  userAgent!: string | null;

  /** When the browser session was last seen at the issuer. */
  @Column({ type: Date, nullable: true })
  lastUsedAt!: Date | null;

  /** The applications (client ids) that signed in through this browser session, for the account page. */
  @Column({ type: 'simple-json', nullable: true })
  clientIds!: string[] | null;
}
