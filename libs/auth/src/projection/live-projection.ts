import { Logger } from '@nestjs/common';
import { decodeProjectionGeneration, type ProjectionGeneration } from '@sso/contracts';
import { createRedisClient, withTimeout, type RedisClient } from '@sso/contracts';
import type { Registry } from 'prom-client';
import { ProjectionMetrics } from './projection-metrics.js';

/** `live`: state in memory, whole and kept current by the channel; `fallback`: each check asks Redis. */
export type ProjectionMode = 'live' | 'fallback';

/** Redis cannot tell right now (down, silent, or its projection is not whole): the caller must refuse. */
export class ProjectionUnavailableError extends Error {}

/** What one projection of Redis state is: where its events arrive, how it loads, how an event changes it. */
export interface ProjectionSource<State, Event> {
  /** Names the projection in logs, metrics and Redis client names (`revocation`, `api-keys`). */
  name: string;
  channel: string;
  /** The owner's generation marker (@sso/contracts projection-generation.ts). */
  generationKey: string;
  /** Reads the whole state from Redis. */
  load(client: RedisClient): Promise<State>;
  /** undefined for a message that is not a well-formed event: it is ignored. */
  decode(message: string): Event | undefined;
  apply(state: State, event: Event): void;
  /** Adds what `loaded` knows to `held`, never losing what `held` knows (a revocation, a later version of a key). */
  merge(held: State, loaded: State): void;
}

export interface ProjectionSettings {
  redisUrl: string;
  /** CLIENT SETNAME prefix, so CLIENT LIST shows which service holds the connections. */
  clientName: string;
  /** Bounds each command, and the subscriber's PING. */
  commandTimeoutMs: number;
  /** How often the subscriber must answer a PING, and the generation marker be checked. */
  subscriberCheckIntervalMs: number;
  /** Where the projection's generation, age and mode are exposed (the service's registry). */
  registry?: Registry;
}

/** While the projection is not whole, how often a guard looks again (the owner is rebuilding). */
const INCOMPLETE_RETRY_MS = 250;

/**
 * State an owner keeps in Redis, pushed into memory: subscribe first, then load the whole
 * state, then apply each event as it arrives, so the hot path makes no Redis round trip.
 *
 * Redis may forget (a restart without persistence, a flush, a failover to a lagging replica),
 * so a load counts only when the owner's generation marker stood, unchanged, before and after
 * it. A new generation (a complete rebuild) replaces what memory holds; the same generation
 * after a reconnect may have lost the last writes, so the load is merged into memory; no
 * marker means the projection is not whole: memory keeps what it knows, the projection stays
 * in `fallback`, and callers decide only what memory or a whole Redis can tell
 * (`held` and `readWhole`), refusing the rest.
 *
 * While not live, each check asks Redis through `readWhole`. A subscriber only listens, so a
 * half-open connection (partition, NAT or load-balancer idle timeout, failover without RST)
 * raises no error until TCP keepalive gives up, minutes later. Hence the watchdog: every
 * `subscriberCheckIntervalMs` the subscriber must answer a PING and the marker must still name
 * the generation loaded; otherwise the projection falls back at once and resynchronises.
 */
export class LiveProjection<State, Event> {
  /** For the owner's per-request reads in fallback mode. */
  readonly client: RedisClient;
  private readonly logger: Logger;
  private readonly metrics?: ProjectionMetrics;
  private subscriber: RedisClient;
  private current?: State;
  private generationNow?: ProjectionGeneration;
  private modeNow: ProjectionMode = 'fallback';
  /** Events received while a reload runs, applied on top of what it loaded. */
  private pending?: Event[];
  private attempt = 0;
  /** The subscriber holding our subscription (node-redis renews it by itself after a reconnect). */
  private subscribedOn?: RedisClient;
  private closed = false;
  private watchdogTimer?: NodeJS.Timeout;
  private checking = false;
  private incompleteLogged = false;

  constructor(
    private readonly source: ProjectionSource<State, Event>,
    private readonly settings: ProjectionSettings,
  ) {
    this.logger = new Logger(`Projection:${source.name}`);
    this.client = createRedisClient({ url: settings.redisUrl, commandTimeoutMs: settings.commandTimeoutMs, name: `${settings.clientName}:${source.name}` });
    this.subscriber = this.createSubscriber();
    if (settings.registry) this.metrics = new ProjectionMetrics(settings.registry, source.name, () => ({ live: this.modeNow === 'live', generation: this.generationNow }));
  }

  get mode(): ProjectionMode {
    return this.modeNow;
  }

  /** The state in memory: defined only in live mode, when it is whole and current. */
  get state(): State | undefined {
    return this.modeNow === 'live' ? this.current : undefined;
  }

  /** What memory last knew, whole or not: in fallback mode, enough to refuse what it knows is refused. */
  get held(): State | undefined {
    return this.current;
  }

  /** Connects in the background: a service starts (and fails closed) while Redis is down. */
  start(): void {
    for (const client of [this.client, this.subscriber]) this.connect(client);
    this.watchdogTimer = setInterval(() => void this.check(), this.settings.subscriberCheckIntervalMs).unref();
  }

  /**
   * A per-request read of Redis, trusted only if the projection there is whole: the commands
   * `read` adds and a read of the marker run in one MULTI, so they see one instant, and an owner
   * removes the marker before rebuilding, as a flush or an empty restart does. Returns the
   * replies of `read`'s commands; throws ProjectionUnavailableError when Redis cannot tell.
   */
  async readWhole(read: (multi: ReturnType<RedisClient['multi']>) => void): Promise<unknown[]> {
    if (!this.client.isReady) throw new ProjectionUnavailableError('Redis is not connected');
    let replies: unknown[];
    try {
      const multi = this.client.multi();
      read(multi);
      replies = (await withTimeout(multi.get(this.source.generationKey).exec(), this.settings.commandTimeoutMs, `${this.source.name} lookup`)) as unknown[];
    } catch (error) {
      throw new ProjectionUnavailableError((error as Error).message);
    }
    if (!decodeProjectionGeneration(replies.at(-1) as string | null)) throw new ProjectionUnavailableError(`the ${this.source.name} projection in Redis is not whole (being rebuilt)`);
    return replies.slice(0, -1);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdogTimer);
    this.metrics?.close();
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
    const subscriber = createRedisClient({ url, commandTimeoutMs, name: `${clientName}:${this.source.name}-sub` });
    subscriber.on('ready', () => {
      if (subscriber === this.subscriber) void this.synchronise();
    });
    for (const event of ['error', 'end', 'reconnecting']) {
      subscriber.on(event, () => {
        if (subscriber === this.subscriber) this.fallBack(`${this.source.channel} lost`);
      });
    }
    return subscriber;
  }

  /** The watchdog's tick: the subscriber must answer, and the marker still name what was loaded. */
  private async check(): Promise<void> {
    const subscriber = this.subscriber;
    if (this.checking || this.closed || !subscriber.isReady) return;
    this.checking = true;
    try {
      // RESP2 allows PING while subscribed (the reply is ['pong', '']; node-redis resolves 'pong').
      await withTimeout(subscriber.ping(), this.settings.commandTimeoutMs, 'PING');
    } catch (error) {
      if (subscriber === this.subscriber && !this.closed) this.replaceSubscriber(subscriber, (error as Error).message);
      this.checking = false;
      return;
    }
    try {
      if (this.modeNow !== 'live') return;
      const marker = decodeProjectionGeneration(await withTimeout(this.client.get(this.source.generationKey), this.settings.commandTimeoutMs, 'the generation marker'));
      if (marker?.generation === this.generationNow?.generation || this.modeNow !== 'live') return;
      this.fallBack(marker ? `a new generation of ${this.source.name} was built` : `the ${this.source.name} projection in Redis is gone (flushed or restarted empty)`);
      void this.synchronise();
    } catch {
      // The command connection is failing: per-request reads will say so.
    } finally {
      this.checking = false;
    }
  }

  /** node-redis cannot tell the connection is dead: drop it and open a new one, whose 'ready' resynchronises. */
  private replaceSubscriber(subscriber: RedisClient, why: string): void {
    this.fallBack(`${this.source.channel} silent (${why}); reconnecting it`);
    this.subscriber = this.createSubscriber();
    subscriber.destroy();
    this.connect(this.subscriber);
  }

  private fallBack(why: string): void {
    if (this.modeNow === 'live') this.logger.warn(`${why}; checking Redis per request until the projection is whole and current again`);
    this.modeNow = 'fallback';
    this.pending = undefined;
    this.attempt += 1;
  }

  private async synchronise(): Promise<void> {
    const attempt = ++this.attempt;
    const subscriber = this.subscriber;
    this.pending = [];
    try {
      // node-redis resubscribes by itself after a reconnect; on a new subscriber we subscribe here.
      if (this.subscribedOn !== subscriber) {
        await subscriber.subscribe(this.source.channel, (message) => this.onMessage(message));
        this.subscribedOn = subscriber;
      }
      // No marker: nothing in Redis can be trusted, so nothing is loaded until the owner has rebuilt.
      const before = await this.marker();
      if (!before) return this.holdIncomplete(attempt, 'no generation marker');
      const loaded = await this.source.load(this.client);
      const after = await this.marker();
      if (attempt !== this.attempt || this.closed) return;
      for (const event of this.pending) this.source.apply(loaded, event);
      if (!after || before.generation !== after.generation) return this.holdIncomplete(attempt, 'its generation changed during the load');
      this.pending = undefined;
      if (this.current !== undefined && after.generation === this.generationNow?.generation) this.source.merge(this.current, loaded);
      else this.current = loaded;
      this.generationNow = after;
      this.modeNow = 'live';
      this.incompleteLogged = false;
      this.logger.log(`${this.source.name} state loaded (generation ${after.generation}); following ${this.source.channel}`);
    } catch (error) {
      if (attempt !== this.attempt || this.closed) return;
      this.logger.warn(`${this.source.name} state not loaded: ${(error as Error).message}; retrying`);
      this.retry(attempt);
    }
  }

  /** Keeps what memory knows (events still apply to it) and looks again shortly: the owner is rebuilding. */
  private holdIncomplete(attempt: number, why: string): void {
    if (attempt !== this.attempt || this.closed) return;
    if (!this.incompleteLogged) this.logger.warn(`the ${this.source.name} projection in Redis is not whole (${why}); refusing what memory cannot decide until its owner has rebuilt it`);
    this.incompleteLogged = true;
    this.retry(attempt);
  }

  private retry(attempt: number): void {
    setTimeout(() => {
      if (attempt === this.attempt && this.subscriber.isReady && !this.closed) void this.synchronise();
    }, INCOMPLETE_RETRY_MS).unref();
  }

  private async marker(): Promise<ProjectionGeneration | undefined> {
    return decodeProjectionGeneration(await this.client.get(this.source.generationKey));
  }

  private onMessage(message: string): void {
    const event = this.source.decode(message);
    if (event === undefined) return;
    if (this.current !== undefined) this.source.apply(this.current, event);
    this.pending?.push(event);
  }
}
