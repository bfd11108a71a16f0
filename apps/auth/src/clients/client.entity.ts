import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { GrantType, TokenEndpointAuthMethod } from './client-metadata.js';

/**
 * An OAuth client: a service that obtains tokens with client credentials, or an app that signs
 * users in with the authorization code flow (confidential with a secret, or public without).
 */
@Entity('clients')
export class Client {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** SHA-256 of the secret (hex): the secret is 256 random bits, so a fast hash suffices. Null for a public client. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  secretHash!: string | null;

  @Column('simple-json')
  scopes!: string[];

  @Column({ type: 'varchar', length: 32 })
  tokenEndpointAuthMethod!: TokenEndpointAuthMethod;

  @Column('simple-json')
  grantTypes!: GrantType[];

  /** Compared exactly with a request's redirect_uri. */
  @Column('simple-json')
  redirectUris!: string[];

  @Column('simple-json')
  postLogoutRedirectUris!: string[];

  @CreateDateColumn()
  createdAt!: Date;
}
