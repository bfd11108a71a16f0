import { Inject, Injectable } from '@nestjs/common';
import { REVOCATION_KINDS, revocationKey } from '@sso/contracts';
import { REDIS_CLIENT, SERVICE_CONFIG, withTimeout, type ProjectionOwner, type RedisClient } from '@sso/platform';
import type { AuthConfig } from '../config.js';
import { liveFrom, nowSeconds } from './revocation-retention.js';
import { RevocationStore } from './revocation.store.js';

/** Entries per round trip: few round trips, and no command that holds Redis for long. */
export const REBUILD_CHUNK = 5_000;
const REDIS_DEADLINE_MS = 5_000;

/**
 * Writes the revocations the database owns into the Redis sorted sets (see @sso/contracts
 * revocation.ts) for the ProjectionKeeper, which marks the result as a new generation. ZADD GT,
 * as the writer does: a revocation written while the rebuild runs is never undone by it.
 * Entries Redis holds beyond ours stay (the key service adds `sub` cut-offs of its own), unless
 * they come from another database's projection: then the five sets are removed first, so the
 * facts of two databases never mix (the key service re-adds its cut-offs at its own rebuild).
 * No event is published per entry: guards reload the sets when the generation changes.
 */
@Injectable()
export class RevocationProjection implements ProjectionOwner {
  readonly name = 'revocations' as const;
  private readonly namespace: string;
  private readonly ttl: number;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(SERVICE_CONFIG) config: AuthConfig,
    private readonly store: RevocationStore,
  ) {
    this.namespace = config.REDIS_NAMESPACE;
    this.ttl = config.AUTH_ACCESS_TOKEN_TTL_SECONDS;
  }

  sourceId(): Promise<string> {
    return this.store.sourceId();
  }

  async rebuild(foreign: boolean): Promise<number> {
    const keys = REVOCATION_KINDS.map((kind) => revocationKey(this.namespace, kind));
    if (foreign) await withTimeout(this.redis.del(keys), REDIS_DEADLINE_MS, 'removing another database’s revocations');
    const now = nowSeconds();
    let written = 0;
    for (const kind of REVOCATION_KINDS) {
      const key = revocationKey(this.namespace, kind);
      // What Redis kept that can no longer refuse anything goes, as the writer prunes it.
      const pruneBelow = liveFrom(kind, now, this.ttl);
      if (pruneBelow !== undefined) await withTimeout(this.redis.zRemRangeByScore(key, '-inf', `(${pruneBelow}`), REDIS_DEADLINE_MS, 'pruning the revocations');
      for await (const entries of this.store.live(kind, REBUILD_CHUNK, now)) {
        // One ZADD per chunk: one round trip, applied whole.
        await withTimeout(this.redis.zAdd(key, entries, { comparison: 'GT' }), REDIS_DEADLINE_MS, 'writing the revocations');
        written += entries.length;
      }
    }
    return written;
  }
}
