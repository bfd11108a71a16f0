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
import { createRedisClient, withTimeout, type RedisClient } from '@sso/platform';
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
  /** Also bounds the subscriber's PING. */
  commandTimeoutMs: number;
  /** How often the subscriber connection must answer a PING to stay trusted. */
  subscriberCheckIntervalMs: number;
}

/**
 * The revocation state the auth service writes (see @sso/contracts revocation.ts), pushed
 * into memory: subscribe first, then load the five sorted sets, then apply each event as it
 * arrives, so the hot path makes no Redis round trip. While the subscription is down (or not
 * yet synchronised) each check asks Redis; when Redis cannot answer, the check throws.
 * Every time the subscriber connection is ready again, the state is reloaded.
 *
 * A subscriber only listens, so a half-open connection (partition, NAT or load-balancer idle
 * timeout, failover without RST) raises no error until TCP keepalive gives up, minutes later,
 * while the memory goes stale. Hence the watchdog: the subscriber must answer a PING every
 * `subscriberCheckIntervalMs`; when it does not, checks ask Redis at once and a new subscriber
 * connection resynchronises as after any reconnect.
 */
export class RevocationService {
  private readonly logger = new Logger('Revocation');
  private readonly client: RedisClient;
  private subscriber: RedisClient;
  private readonly channel: string;
  private state = new RevocationState();
  private modeNow: RevocationMode = 'fallback';
  /** Events received while a reload runs, applied on top of what it loaded. */
  private pending?: RevocationEvent[];
  private generation = 0;
  /** The subscriber holding our subscription (node-redis renews it by itself after a reconnect). */
  private subscribedOn?: RedisClient;
  private closed = false;
  private pruneTimer?: NodeJS.Timeout;
  private watchdogTimer?: NodeJS.Timeout;
  private pinging = false;

  constructor(private readonly settings: RevocationSettings) {
    this.channel = revocationChannel(settings.namespace);
    const common = { url: settings.redisUrl, commandTimeoutMs: settings.commandTimeoutMs };
    this.client = createRedisClient({ ...common, name: `${settings.clientName}:revocation` });
    this.subscriber = this.createSubscriber();
  }

  get mode(): RevocationMode {
    return this.modeNow;
  }

  /** Connects in the background: a service starts (and fails closed) while Redis is down. */
  start(): void {
    for (const client of [this.client, this.subscriber]) this.connect(client);
    this.pruneTimer = setInterval(() => this.state.pruneExpired(Math.floor(Date.now() / 1000) - 60), 60_000).unref();
    this.watchdogTimer = setInterval(() => void this.checkSubscriber(), this.settings.subscriberCheckIntervalMs).unref();
  }

  /** Why the token is revoked, or undefined; throws RevocationUnavailableError when unknowable. */
  check(token: RevocationSubject): RevocationKind | undefined | Promise<RevocationKind | undefined> {
    if (this.modeNow === 'live') return revocationReason(token, this.state.lookup);
    return this.checkInRedis(token);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pruneTimer);
    clearInterval(this.watchdogTimer);
    // close() waits for pending replies: a server that stopped answering must not hold up the shutdown.
    const closing = (client: RedisClient) => withTimeout(client.close(), this.settings.commandTimeoutMs, 'QUIT').catch(() => client.destroy());
    await Promise.all([this.subscriber, this.client].map((client) => (client.isReady ? closing(client) : client.destroy())));
  }

  private connect(client: RedisClient): void {
    client.connect().catch((error: Error) => this.logger.warn(`Redis connection stopped: ${error.message}`));
  }

  /** Events of a subscriber count only while it is the current one: a replaced one is torn down. */
  private createSubscriber(): RedisClient {
    const { redisUrl: url, commandTimeoutMs, clientName } = this.settings;
    const subscriber = createRedisClient({ url, commandTimeoutMs, name: `${clientName}:revocation-sub` });
    subscriber.on('ready', () => {
      if (subscriber === this.subscriber) void this.synchronise();
    });
    for (const event of ['error', 'end', 'reconnecting']) {
      subscriber.on(event, () => {
        if (subscriber === this.subscriber) this.fallBack();
      });
    }
    return subscriber;
  }

  /** The watchdog's tick. A subscriber that is not ready is already reconnecting, in fallback mode. */
  private async checkSubscriber(): Promise<void> {
    const subscriber = this.subscriber;
    if (this.pinging || this.closed || !subscriber.isReady) return;
    this.pinging = true;
    try {
      // RESP2 allows PING while subscribed (the reply is ['pong', '']; node-redis resolves 'pong').
      await withTimeout(subscriber.ping(), this.settings.commandTimeoutMs, 'PING');
    } catch (error) {
      if (subscriber !== this.subscriber || this.closed) return;
      this.logger.warn(`revocation channel silent (${(error as Error).message}); checking Redis per request and reconnecting it`);
      this.fallBack();
      // node-redis cannot tell the connection is dead: drop it and open a new one, whose 'ready' resynchronises.
      this.subscriber = this.createSubscriber();
      subscriber.destroy();
      this.connect(this.subscriber);
    } finally {
      this.pinging = false;
    }
  }

  private async checkInRedis(token: RevocationSubject): Promise<RevocationKind | undefined> {
    if (!this.client.isReady) throw new RevocationUnavailableError('Redis is not connected');
    const values: Record<RevocationKind, string | undefined> = { jti: token.jti, kid: token.kid, sub: token.sub, sid: token.sid, client: token.client_id };
    try {
      // Issued in one tick, so node-redis sends them as one pipeline: one round trip.
      const lookups = REVOCATION_KINDS.map((kind) => (values[kind] === undefined ? null : this.client.zScore(revocationKey(this.settings.namespace, kind), values[kind])));
      const scores = await withTimeout(Promise.all(lookups), this.settings.commandTimeoutMs, 'revocation lookup');
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
    const subscriber = this.subscriber;
    this.pending = [];
    try {
      // node-redis resubscribes by itself after a reconnect; on a new subscriber we subscribe here.
      if (this.subscribedOn !== subscriber) {
        await subscriber.subscribe(this.channel, (message) => this.onMessage(message));
        this.subscribedOn = subscriber;
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
