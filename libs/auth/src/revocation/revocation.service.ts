import {
  decodeRevocationEvent,
  projectionGenerationKey,
  REVOCATION_KINDS,
  revocationChannel,
  revocationKey,
  revocationReason,
  type RevocationEvent,
  type RevocationKind,
  type RevocationSubject,
} from '@sso/contracts';
import type { RedisClient } from '@sso/contracts';
import { LiveProjection, ProjectionUnavailableError, type ProjectionMode, type ProjectionSettings } from '../projection/live-projection.js';
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
 * While the projection is not live (channel down, not yet synchronised, or Redis lost the
 * projection), a token memory knows to be revoked stays refused, and the rest is asked of
 * Redis, trusted only while the projection there is whole; otherwise the check throws
 * RevocationUnavailableError and the guard refuses the request. A revocation is never
 * forgotten because Redis forgot it.
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
        generationKey: projectionGenerationKey(namespace, 'revocations'),
        load: (client) => loadRevocationState(client, namespace),
        decode: decodeRevocationEvent,
        apply: (state, event) => state.apply(event),
        merge: (held, loaded) => held.merge(loaded),
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
    const held = this.projection.held;
    return (held && revocationReason(token, held.lookup)) || this.checkInRedis(token);
  }

  async close(): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.projection.close();
  }

  private async checkInRedis(token: RevocationSubject): Promise<RevocationKind | undefined> {
    const values: Record<RevocationKind, string | undefined> = { jti: token.jti, kid: token.kid, sub: token.sub, sid: token.sid, client: token.client_id };
    try {
      const kinds = REVOCATION_KINDS.filter((kind) => values[kind] !== undefined);
      const scores = await this.projection.readWhole((multi) => {
        for (const kind of kinds) multi.zScore(revocationKey(this.settings.namespace, kind), values[kind] as string);
      });
      const found = new Map(kinds.map((kind, index) => [kind, scores[index] as number | null]));
      return revocationReason(token, (kind) => found.get(kind) ?? undefined);
    } catch (error) {
      if (error instanceof ProjectionUnavailableError) throw new RevocationUnavailableError(error.message);
      throw error;
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
