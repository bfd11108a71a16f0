import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A usage event waiting for (or done with) delivery to usage-tracking; `id` is its idempotency key there. */
@Entity('outbox')
export class OutboxEvent {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 255 })
  subject!: string;

  @Column({ type: 'varchar', length: 64 })
  service!: string;

  @Column({ type: 'varchar', length: 64 })
  metric!: string;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ type: Date })
  occurredAt!: Date;

  @Column({ type: Date, nullable: true })
  deliveredAt!: Date | null;
}
