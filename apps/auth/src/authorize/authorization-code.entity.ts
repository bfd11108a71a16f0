import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** PostgreSQL returns bigint as a string; these are whole seconds, well within a double. */
const seconds: ValueTransformer = { to: (value: number | null) => value, from: (value: string | number | null) => (value === null ? null : Number(value)) };

/** A code the authorization endpoint gave a client: single use, short-lived, bound to its request. */
@Entity('authorization_codes')
export class AuthorizationCode {
  /** SHA-256 (hex) of the code: the code itself is never stored. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  codeHash!: string;

  @Column({ type: 'varchar', length: 64 })
  clientId!: string;

  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  /** The browser session it was issued in: its tokens carry it as `sid`. */
  @Column({ type: 'varchar', length: 64 })
  sessionId!: string;

  @Column({ type: 'varchar', length: 2000 })
  redirectUri!: string;

  /** The services' scopes granted. */
  @Column('simple-json')
  scopes!: string[];

  /** `openid` was asked for: an ID token comes with the access token. */
  @Column({ type: 'boolean' })
  openid!: boolean;

  /** `offline_access` was asked for by a client registered for refresh tokens: a refresh token comes too. */
  @Column({ type: 'boolean', default: false })
  offlineAccess!: boolean;

  @Column({ type: 'varchar', length: 512, nullable: true })
  nonce!: string | null;

  /** PKCE S256 challenge (RFC 7636). */
  @Column({ type: 'varchar', length: 128 })
  codeChallenge!: string;

  /** When the user signed in, in seconds (the ID token's auth_time). */
  @Column({ type: 'bigint', transformer: seconds })
  authTime!: number;

  @Column()
  expiresAt!: Date;

  @Column({ type: Date, nullable: true })
  usedAt!: Date | null;
}
