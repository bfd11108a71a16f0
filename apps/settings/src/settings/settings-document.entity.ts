import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One JSON document per (subject, namespace). */
@Entity('settings_documents')
export class SettingsDocument {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  subject!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  namespace!: string;

  /** The document as compact JSON text, so that both databases store it byte for byte. */
  @Column({ type: 'text' })
  document!: string;

  /**
   * Random per write, the strong ETag. Unlike a counter it never repeats after a delete and
   * re-create, so a stale ETag cannot match a new document.
   */
  @Column({ type: 'varchar', length: 32 })
  revision!: string;

  @Column({ type: Date })
  createdAt!: Date;

  @Column({ type: Date })
  updatedAt!: Date;
}
