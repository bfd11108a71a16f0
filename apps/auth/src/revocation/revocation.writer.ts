import { Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { decodeProjectionGeneration, encodeRevocationEvent, projectionGenerationKey, revocationChannel, revocationKey, type RevocationKind } from '@sso/contracts';
import { REDIS_CLIENT, SERVICE_CONFIG, withTimeout, type RedisClient } from '@sso/platform';
import type { AuthConfig } from '../config.js';
import { RevocationProjectionKeeper } from './revocation-projection.keeper.js';
import { liveFrom, nowSeconds } from './revocation-retention.js';
import { RevocationStore } from './revocation.store.js';

const REDIS_DEADLINE_MS = 2_000;

export type RevocationLookup = readonly [kind: RevocationKind, value: string];

/**
 * Writes revocations where they are kept and where every verifier reads them: first a row in
 * the database, which owns the fact (RevocationStore), then one sorted-set entry and one
 * channel message in Redis (see @sso/contracts, revocation.ts), in one MULTI so neither goes
 * without the other. A Redis that fails the write fails the request (503), but the row stays
 * and the next rebuild of the projection (RevocationProjection) writes it to Redis too.
 *
 * Reads come from Redis while the projection there is whole and built from this database (its
 * generation marker says so); otherwise, while Redis is being rebuilt or holds another
 * database's projection, from the database itself, so this service never accepts a token
 * because Redis forgot its revocation.
 */
@Injectable()
export class RevocationWriter {
  private readonly logger = new Logger('Revocations');
  private readonly namespace: string;
  private readonly markerKey: string;
  /** The access-token lifetime, which bounds how long an entry can still matter. */
  private readonly ttl: number;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(SERVICE_CONFIG) config: AuthConfig,
    private readonly store: RevocationStore,
    private readonly projection: RevocationProjectionKeeper,
  ) {
    this.namespace = config.REDIS_NAMESPACE;
    this.markerKey = projectionGenerationKey(config.REDIS_NAMESPACE, 'revocations');
    this.ttl = config.AUTH_ACCESS_TOKEN_TTL_SECONDS;
  }

  /** Denylists one access token until it would have expired anyway. */
  revokeToken(jti: string, exp: number): Promise<void> {
    return this.write('jti', jti, exp);
  }

  /** Every token of this subject, session or client issued up to now stops working. */
  cutOff(kind: 'sub' | 'sid' | 'client', value: string): Promise<void> {
    return this.write(kind, value, nowSeconds());
  }

  /** Every token signed by this key stops working. */
  revokeKey(kid: string): Promise<void> {
    return this.write('kid', kid, nowSeconds());
  }

  /**
   * The latest cut-off that applies to a token for this subject, session and client. A token
   * must be issued after it (a later second), or `iat <= cut-off` would refuse it at once.
   */
  async latestCutOff(subject: { sub: string; sid?: string; client: string }): Promise<number | undefined> {
    const lookups: RevocationLookup[] = [['sub', subject.sub], ['client', subject.client], ...(subject.sid ? [['sid', subject.sid] as const] : [])];
    const found = (await this.scores(lookups)).filter((score): score is number => score !== null);
    return found.length > 0 ? Math.max(...found) : undefined;
  }

  /**
   * The state of some entries (null: none), for verifiers inside this service: from Redis in one
   * round trip while its projection is whole, built from this database and owed no rebuild;
   * otherwise from the database, which owns them.
   */
  async scores(lookups: readonly RevocationLookup[]): Promise<Array<number | null>> {
    if (!this.projection.keeper.owes) {
      const [scores, marker] = await this.ensure(async () => {
        const transaction = this.redis.multi();
        for (const [kind, value] of lookups) transaction.zScore(revocationKey(this.namespace, kind), value);
        // In the same MULTI: a flush between reading the marker and the scores cannot go unseen.
        const replies = (await transaction.get(this.markerKey).exec()) as unknown[];
        return [replies.slice(0, -1) as Array<number | null>, replies.at(-1) as string | null] as const;
      });
      const generation = decodeProjectionGeneration(marker);
      if (generation && generation.source === (await this.stored(() => this.store.sourceId()))) return scores;
    }
    return this.stored(() => Promise.all(lookups.map(([kind, value]) => this.store.score(kind, value))));
  }

  private async write(kind: RevocationKind, value: string, score: number): Promise<void> {
    // The database first: whatever Redis forgets from here on, the next rebuild restores.
    await this.stored(() => this.store.record(kind, value, score));
    const key = revocationKey(this.namespace, kind);
    const pruneBelow = liveFrom(kind, nowSeconds(), this.ttl);
    try {
      await this.ensure(async () => {
        const transaction = this.redis.multi().zAdd(key, { score, value }, { comparison: 'GT' });
        if (pruneBelow !== undefined) transaction.zRemRangeByScore(key, '-inf', `(${pruneBelow}`);
        transaction.publish(revocationChannel(this.namespace), encodeRevocationEvent({ kind, value, score }));
        await transaction.exec();
      });
    } catch (error) {
      // Redis may be up yet refusing writes (out of memory, read-only, disk full for its AOF):
      // the guards must stop trusting its projection, so a rebuild is owed until one completes.
      this.projection.keeper.owe('a revocation Redis did not take');
      throw error;
    }
  }

  /** Revocation that cannot be recorded or read must not look recorded or absent: the request fails with 503. */
  private async ensure<T>(work: () => Promise<T>): Promise<T> {
    try {
      // Bounded here: node-redis stops timing a command once it is written to the socket.
      return await withTimeout(work(), REDIS_DEADLINE_MS, 'Redis');
    } catch (error) {
      this.logger.warn(`the revocation state in Redis cannot be used: ${(error as Error).message}`);
      throw unavailable();
    }
  }

  private async stored<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch {
      throw unavailable();
    }
  }
}

function unavailable(): ServiceUnavailableException {
  return new ServiceUnavailableException({ message: 'the revocation store is unavailable; try again', code: 'revocation_store_unavailable' });
}
