import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Who did what to whom, when. Never a password, a token or a secret. */
@Entity('audit_events')
export class AuditEvent {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  /** The user, client or key the event is about. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  subject!: string | null;

  /** Who caused it (a user id or client id), when known. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  actor!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;

  @Column('simple-json')
  details!: Record<string, unknown>;

  @CreateDateColumn()
  createdAt!: Date;
}
