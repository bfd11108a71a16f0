import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One recorded usage event. The primary key (subject, id) is the idempotency key: a
 * repeated id is ignored by the database itself (INSERT … ON CONFLICT DO NOTHING), so
 * concurrent deliveries of one event count once; scoping ids by subject keeps one
 * subject's ids from shadowing another's.
 */
@Entity('usage_events')
export class UsageEvent {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  subject!: string;

  @PrimaryColumn({ type: 'varchar', length: 128 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  service!: string;

  @Column({ type: 'varchar', length: 64 })
  metric!: string;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ type: Date })
  occurredAt!: Date;

  @Column({ type: Date })
  receivedAt!: Date;

  /** The client (or subject) whose token delivered the event, for audits of who reports usage. */
  @Column({ type: 'varchar', length: 255 })
  recordedBy!: string;
}
