import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The identity of this database (one row, a random UUID written by its migration). It names
 * the source in the projection's generation marker: stable across restarts of the service, and
 * different for every other database, even one of the same service on the same Redis namespace.
 */
@Entity('projection_source')
export class ProjectionSource {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: Date })
  createdAt!: Date;
}
