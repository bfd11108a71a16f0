import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The identity of this database, one row written by the migration that created it. The
 * revocation projection in Redis is marked with it, so a projection built from another
 * database (another environment sharing the Redis by mistake, a restore elsewhere) is
 * recognised and replaced rather than mixed with ours.
 */
@Entity('projection_source')
export class ProjectionSource {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column()
  createdAt!: Date;
}
