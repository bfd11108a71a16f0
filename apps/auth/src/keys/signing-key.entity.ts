import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { SigningAlgorithm } from '@sso/contracts';

/**
 * next: published, not yet signing. active: signs new tokens (exactly one). retiring: no longer
 * signs, published until the last token it signed has expired. removed: gone from the JWKS.
 */
export type SigningKeyState = 'next' | 'active' | 'retiring' | 'removed';

@Entity('signing_keys')
export class SigningKey {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 16 })
  algorithm!: SigningAlgorithm;

  @Column({ type: 'varchar', length: 16 })
  state!: SigningKeyState;

  /** The public key as a JWK (JSON), as published. */
  @Column('simple-json')
  publicJwk!: Record<string, unknown>;

  /** The private key (PKCS#8), encrypted with the key-encryption secret. */
  @Column('text')
  encryptedPrivateKey!: string;

  @CreateDateColumn()
  createdAt!: Date;

  @Column({ type: Date, nullable: true })
  activatedAt!: Date | null;

  @Column({ type: Date, nullable: true })
  retiredAt!: Date | null;

  /** When a retiring key leaves the JWKS: every token it signed has expired by then. */
  @Column({ type: Date, nullable: true })
  removeAfter!: Date | null;

  @Column({ type: Date, nullable: true })
  removedAt!: Date | null;
}
