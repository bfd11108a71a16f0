import type { RevocationKind } from '@sso/contracts';
import { Column, Entity, Index, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** PostgreSQL returns bigint as a string; scores are whole seconds, well within a double. */
const seconds: ValueTransformer = { to: (value: number) => value, from: (value: string | number) => Number(value) };

/**
 * One live revocation, the fact behind one entry of the Redis sorted sets of @sso/contracts
 * revocation.ts (same kind, member and score). The database owns it; Redis holds a projection
 * rebuilt from these rows whenever it may have lost them. The (kind, score) index serves the
 * pruning and the rebuild, which both select by kind above a score.
 */
@Entity('revocations')
@Index(['kind', 'score'])
export class Revocation {
  @PrimaryColumn({ type: 'varchar', length: 8 })
  kind!: RevocationKind;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  value!: string;

  /** As in Redis: `exp` for a jti, the cut-off for sub/sid/client, the removal time for a kid (s). */
  @Column({ type: 'bigint', transformer: seconds })
  score!: number;
}
