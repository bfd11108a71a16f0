import {
  decodeRevocationEvent,
  REVOCATION_KINDS,
  revocationChannel,
  revocationKey,
  revocationReason,
  type RevocationEvent,
  type RevocationKind,
  type RevocationSubject,
} from '@sso/contracts';
import { withTimeout, type RedisClient } from '@sso/platform';
import { LiveProjection, type ProjectionMode, type ProjectionSettings } from '../projection/live-projection.js';
import { RevocationState } from './revocation-state.js';

/** `live`: state in memory, kept current by the channel; `fallback`: each check asks Redis. */
export type RevocationMode = ProjectionMode;

/** Redis cannot answer: the caller must refuse the request. */
export class RevocationUnavailableError extends Error {}

export interface RevocationSettings extends ProjectionSettings {
  namespace: string;
}

/**
 * The revocation state the auth service writes (see @sso/contracts revocation.ts), held in
 * memory as a LiveProjection of the five sorted sets: the hot path makes no Redis round trip.
 * While the projection is not live (channel down, or not yet synchronised) each check asks
 * Redis; when Redis cannot answer, the check throws RevocationUnavailableError and the guard
 * refuses the request.
 */
export class RevocationService {
  private readonly projection: LiveProjection<RevocationState, RevocationEvent>;
  private pruneTimer?: NodeJS.Timeout;

  constructor(private readonly settings: RevocationSettings) {
    const { namespace } = settings;
    this.projection = new LiveProjection(
      {
        name: 'revocation',
        channel: revocationChannel(namespace),
        load: (client) => loadRevocationState(client, namespace),
        decode: decodeRevocationEvent,
        apply: (state, event) => state.apply(event),
      },
      settings,
    );
  }

  get mode(): RevocationMode {
    return this.projection.mode;
  }

  start(): void {
    this.projection.start();
    this.pruneTimer = setInterval(() => this.projection.state?.pruneExpired(Math.floor(Date.now() / 1000) - 60), 60_000).unref();
  }

  /** Why the token is revoked, or undefined; throws RevocationUnavailableError when unknowable. */
  check(token: RevocationSubject): RevocationKind | undefined | Promise<RevocationKind | undefined> {
    const state = this.projection.state;
    if (state) return revocationReason(token, state.lookup);
    return this.checkInRedis(token);
  }

  async close(): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.projection.close();
  }

  private async checkInRedis(token: RevocationSubject): Promise<RevocationKind | undefined> {
    const client = this.projection.client;
    if (!client.isReady) throw new RevocationUnavailableError('Redis is not connected');
    const values: Record<RevocationKind, string | undefined> = { jti: token.jti, kid: token.kid, sub: token.sub, sid: token.sid, client: token.client_id };
    try {
      // Issued in one tick, so node-redis sends them as one pipeline: one round trip.
      const lookups = REVOCATION_KINDS.map((kind) => (values[kind] === undefined ? null : client.zScore(revocationKey(this.settings.namespace, kind), values[kind])));
      const scores = await withTimeout(Promise.all(lookups), this.settings.commandTimeoutMs, 'revocation lookup');
      const found = new Map(REVOCATION_KINDS.map((kind, index) => [kind, scores[index]]));
      return revocationReason(token, (kind) => found.get(kind) ?? undefined);
    } catch (error) {
      throw new RevocationUnavailableError((error as Error).message);
    }
  }
}

async function loadRevocationState(client: RedisClient, namespace: string): Promise<RevocationState> {
  const state = new RevocationState();
  const sets = await Promise.all(REVOCATION_KINDS.map((kind) => client.zRangeWithScores(revocationKey(namespace, kind), 0, -1)));
  sets.forEach((entries, index) => {
    for (const { value, score } of entries) state.apply({ kind: REVOCATION_KINDS[index], value: String(value), score });
  });
  return state;
}
