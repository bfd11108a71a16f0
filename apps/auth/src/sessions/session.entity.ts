import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A login: every access and refresh token of one sign-in carries its id as `sid`. */
@Entity('sessions')
export class Session {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  /** What the user asked for at login; each refresh narrows it to what the user still holds. */
  @Column('simple-json')
  scopes!: string[];

  @CreateDateColumn()
  createdAt!: Date;

  /** The absolute end: no refresh past it. */
  @Column()
  expiresAt!: Date;

  @Column({ type: Date, nullable: true })
  revokedAt!: Date | null;
}
