import { Logger } from '@nestjs/common';
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
import { createRedisClient, type RedisClient } from '@sso/platform';
import { RevocationState } from './revocation-state.js';

/** `live`: state in memory, kept current by the channel; `fallback`: each check asks Redis. */
export type RevocationMode = 'live' | 'fallback';

/** Redis cannot answer: the caller must refuse the request. */
export class RevocationUnavailableError extends Error {}

export interface RevocationSettings {
  redisUrl: string;
  namespace: string;
  /** CLIENT SETNAME prefix, so CLIENT LIST shows which service holds the connections. */
  clientName: string;
  commandTimeoutMs: number;
}

/**
 * The revocation state the auth service writes (see @sso/contracts revocation.ts), pushed
 * into memory: subscribe first, then load the five sorted sets, then apply each event as it
 * arrives, so the hot path makes no Redis round trip. While the subscription is down (or not
 * yet synchronised) each check asks Redis; when Redis cannot answer, the check throws.
 * Every time the subscriber connection is ready again, the state is reloaded.
 */
export class RevocationService {
  private readonly logger = new Logger('Revocation');
  private readonly client: RedisClient;
  private readonly subscriber: RedisClient;
  private readonly channel: string;
  private state = new RevocationState();
  private modeNow: RevocationMode = 'fallback';
  /** Events received while a reload runs, applied on top of what it loaded. */
  private pending?: RevocationEvent[];
  private generation = 0;
  private subscribed = false;
  private closed = false;
  private pruneTimer?: NodeJS.Timeout;

  constructor(private readonly settings: RevocationSettings) {
    this.channel = revocationChannel(settings.namespace);
    const common = { url: settings.redisUrl, commandTimeoutMs: settings.commandTimeoutMs };
    this.client = createRedisClient({ ...common, name: `${settings.clientName}:revocation` });
    this.subscriber = createRedisClient({ ...common, name: `${settings.clientName}:revocation-sub` });
    this.subscriber.on('ready', () => void this.synchronise());
    for (const event of ['error', 'end', 'reconnecting']) this.subscriber.on(event, () => this.fallBack());
  }

  get mode(): RevocationMode {
    return this.modeNow;
  }

  /** Connects in the background: a service starts (and fails closed) while Redis is down. */
  start(): void {
    for (const client of [this.client, this.subscriber]) {
      client.connect().catch((error: Error) => this.logger.warn(`Redis connection stopped: ${error.message}`));
    }
    this.pruneTimer = setInterval(() => this.state.pruneExpired(Math.floor(Date.now() / 1000) - 60), 60_000).unref();
  }

  /** Why the token is revoked, or undefined; throws RevocationUnavailableError when unknowable. */
  check(token: RevocationSubject): RevocationKind | undefined | Promise<RevocationKind | undefined> {
    if (this.modeNow === 'live') return revocationReason(token, this.state.lookup);
    return this.checkInRedis(token);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pruneTimer);
    await Promise.all([this.subscriber, this.client].map((client) => (client.isReady ? client.close() : client.destroy())));
  }

  private async checkInRedis(token: RevocationSubject): Promise<RevocationKind | undefined> {
    if (!this.client.isReady) throw new RevocationUnavailableError('Redis is not connected');
    const values: Record<RevocationKind, string | undefined> = { jti: token.jti, kid: token.kid, sub: token.sub, sid: token.sid, client: token.client_id };
    try {
      // Issued in one tick, so node-redis sends them as one pipeline: one round trip.
      const scores = await Promise.all(
        REVOCATION_KINDS.map((kind) => (values[kind] === undefined ? null : this.client.zScore(revocationKey(this.settings.namespace, kind), values[kind]))),
      );
      const found = new Map(REVOCATION_KINDS.map((kind, index) => [kind, scores[index]]));
      return revocationReason(token, (kind) => found.get(kind) ?? undefined);
    } catch (error) {
      throw new RevocationUnavailableError((error as Error).message);
    }
  }

  private fallBack(): void {
    if (this.modeNow === 'live') this.logger.warn('revocation channel lost; checking Redis per request until it is back');
    this.modeNow = 'fallback';
    this.pending = undefined;
    this.generation += 1;
  }

  private async synchronise(): Promise<void> {
    const generation = ++this.generation;
    this.pending = [];
    try {
      // node-redis resubscribes by itself after a reconnect; the first time we subscribe here.
      if (!this.subscribed) {
        await this.subscriber.subscribe(this.channel, (message) => this.onMessage(message));
        this.subscribed = true;
      }
      const loaded = await this.load();
      if (generation !== this.generation || this.closed) return;
      for (const event of this.pending) loaded.apply(event);
      this.state = loaded;
      this.pending = undefined;
      this.modeNow = 'live';
      this.logger.log(`revocation state loaded (${loaded.size} entries); following ${this.channel}`);
    } catch (error) {
      if (generation !== this.generation || this.closed) return;
      this.logger.warn(`revocation state not loaded: ${(error as Error).message}; retrying`);
      setTimeout(() => {
        if (generation === this.generation && this.subscriber.isReady) void this.synchronise();
      }, 250).unref();
    }
  }

  private async load(): Promise<RevocationState> {
    const state = new RevocationState();
    const sets = await Promise.all(REVOCATION_KINDS.map((kind) => this.client.zRangeWithScores(revocationKey(this.settings.namespace, kind), 0, -1)));
    sets.forEach((entries, index) => {
      for (const { value, score } of entries) state.apply({ kind: REVOCATION_KINDS[index], value: String(value), score });
    });
    return state;
  }

  private onMessage(message: string): void {
    const event = decodeRevocationEvent(message);
    if (!event) return;
    this.state.apply(event);
    this.pending?.push(event);
  }
}
