import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { encodeRevocationEvent, revocationChannel, revocationKey, type RevocationKind } from '@sso/contracts';
import { REDIS_CLIENT, SERVICE_CONFIG, withTimeout, type RedisClient } from '@sso/platform';
import type { AuthConfig } from '../config.js';

const nowSeconds = () => Math.floor(Date.now() / 1000);
const REDIS_DEADLINE_MS = 2_000;

/**
 * Writes revocations where every verifier reads them (see @sso/contracts, revocation.ts):
 * one sorted-set entry and one channel message, in one MULTI so neither goes without the other.
 */
@Injectable()
export class RevocationWriter {
  private readonly namespace: string;
  /** How long a cut-off can still matter: the longest access token, plus clock skew. */
  private readonly cutOffLifetime: number;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(SERVICE_CONFIG) config: AuthConfig,
  ) {
    this.namespace = config.REDIS_NAMESPACE;
    this.cutOffLifetime = config.AUTH_ACCESS_TOKEN_TTL_SECONDS + 120;
  }

  /** Denylists one access token until it would have expired anyway. */
  revokeToken(jti: string, exp: number): Promise<void> {
    return this.write('jti', jti, exp, nowSeconds());
  }

  /** Every token of this subject, session or client issued up to now stops working. */
  cutOff(kind: 'sub' | 'sid' | 'client', value: string): Promise<void> {
    const now = nowSeconds();
    return this.write(kind, value, now, now - this.cutOffLifetime);
  }

  /** Every token signed by this key stops working. */
  revokeKey(kid: string): Promise<void> {
    return this.write('kid', kid, nowSeconds(), Number.NEGATIVE_INFINITY);
  }

  /**
   * The latest cut-off that applies to a token for this subject, session and client. A token
   * must be issued after it (a later second), or `iat <= cut-off` would refuse it at once.
   */
  async latestCutOff(subject: { sub: string; sid?: string; client: string }): Promise<number | undefined> {
    const scores = await this.ensure(() =>
      Promise.all([
        this.redis.zScore(revocationKey(this.namespace, 'sub'), subject.sub),
        subject.sid ? this.redis.zScore(revocationKey(this.namespace, 'sid'), subject.sid) : Promise.resolve(null),
        this.redis.zScore(revocationKey(this.namespace, 'client'), subject.client),
      ]),
    );
    const found = scores.filter((score): score is number => score !== null);
    return found.length > 0 ? Math.max(...found) : undefined;
  }

  /** The state of one entry, for verifiers inside this service. */
  score(kind: RevocationKind, value: string): Promise<number | null> {
    return this.ensure(() => this.redis.zScore(revocationKey(this.namespace, kind), value));
  }

  private async write(kind: RevocationKind, value: string, score: number, pruneBelow: number): Promise<void> {
    const key = revocationKey(this.namespace, kind);
    // A denylisted jti must outlive its token's exp by the verifiers' clock tolerance.
    const pruneScore = kind === 'jti' ? nowSeconds() - 120 : pruneBelow;
    await this.ensure(async () => {
      const transaction = this.redis.multi().zAdd(key, { score, value }, { GT: true });
      if (Number.isFinite(pruneScore)) transaction.zRemRangeByScore(key, '-inf', `(${pruneScore}`);
      transaction.publish(revocationChannel(this.namespace), encodeRevocationEvent({ kind, value, score }));
      await transaction.exec();
    });
  }

  /** Revocation that cannot be recorded must not look recorded: the request fails with 503. */
  private async ensure<T>(work: () => Promise<T>): Promise<T> {
    try {
      // Bounded here: node-redis stops timing a command once it is written to the socket.
      return await withTimeout(work(), REDIS_DEADLINE_MS, 'Redis');
    } catch {
      throw new ServiceUnavailableException({ message: 'the revocation store is unavailable; try again', code: 'revocation_store_unavailable' });
    }
  }
}
