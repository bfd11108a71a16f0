import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One managed key, the source of truth (Redis holds a projection of it). The key itself is
 * never stored: `hash` (SHA-256, for lookups) and `visiblePart` (for listings) are one-way,
 * and only keys that may parent secured keys (ACL holds `search`) keep `sealedSecret`, the
 * key encrypted under API_KEYS_ENCRYPTION_SECRET, because checking a secured key needs it.
 */
@Entity('api_keys')
export class ApiKey {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  hash!: string;

  @Column({ type: 'varchar', length: 16 })
  visiblePart!: string;

  @Column({ type: 'simple-json' })
  acl!: string[];

  @Column({ type: 'varchar', length: 1000 })
  description!: string;

  @Column({ type: 'simple-json' })
  indexes!: string[];

  @Column({ type: 'simple-json' })
  referers!: string[];

  @Column({ type: 'integer' })
  maxHitsPerQuery!: number;

  @Column({ type: 'integer' })
  maxQueriesPerIPPerHour!: number;

  @Column({ type: 'varchar', length: 2048 })
  queryParameters!: string;

  /** Seconds from the last create, update or restore; 0 = never expires. */
  @Column({ type: 'integer' })
  validity!: number;

  @Column({ type: Date, nullable: true })
  expiresAt!: Date | null;

  @Column({ type: Date })
  createdAt!: Date;

  @Column({ type: Date })
  updatedAt!: Date;

  /** Set while the key is a restorable tombstone; the row is purged after the restore period. */
  @Column({ type: Date, nullable: true })
  deletedAt!: Date | null;

  /** Folded in from the guards' sorted set every maintenance interval. */
  @Column({ type: Date, nullable: true })
  lastUsedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  sealedSecret!: string | null;
}
