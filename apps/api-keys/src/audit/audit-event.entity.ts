import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const AUDIT_EVENT_TYPES = ['created', 'updated', 'deleted', 'restored', 'expired', 'purged', 'used_after_delete'] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/**
 * One entry of the key audit trail. The id grows with every insert, so "newest first" is a
 * stable order even for events of the same millisecond. Details never hold a key.
 */
@Entity('audit_events')
export class AuditEvent {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 32 })
  type!: AuditEventType;

  @Column({ type: 'varchar', length: 36 })
  keyId!: string;

  /** Who acted: `admin` (the admin key), a token's subject, `system` (maintenance), or the service that saw a deleted key. */
  @Column({ type: 'varchar', length: 255 })
  actor!: string;

  @Column({ type: Date })
  at!: Date;

  @Column({ type: 'simple-json' })
  details!: Record<string, unknown>;
}
