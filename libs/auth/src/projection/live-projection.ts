import { Logger } from '@nestjs/common';
import { createRedisClient, withTimeout, type RedisClient } from '@sso/platform';

/** `live`: state in memory, kept current by the channel; `fallback`: each check asks Redis. */
export type ProjectionMode = 'live' | 'fallback';

/** What one projection of Redis state is: where its events arrive, how it loads, how an event changes it. */
export interface ProjectionSource<State, Event> {
  /** Names the projection in logs and Redis client names (`revocation`, `api-keys`). */
  name: string;
  channel: string;
  /** Reads the whole state from Redis. */
  load(client: RedisClient): Promise<State>;
  /** undefined for a message that is not a well-formed event: it is ignored. */
  decode(message: string): Event | undefined;
  apply(state: State, event: Event): void;
}

export interface ProjectionSettings {
  redisUrl: string;
  /** CLIENT SETNAME prefix, so CLIENT LIST shows which service holds the connections. */
  clientName: string;
  /** Bounds each command, and the subscriber's PING. */
  commandTimeoutMs: number;
  /** How often the subscriber connection must answer a PING to stay trusted. */
  subscriberCheckIntervalMs: number;
}

/**
 * State a writer keeps in Redis, pushed into memory: subscribe first, then load the whole
 * state, then apply each event as it arrives, so the hot path makes no Redis round trip.
 * While the subscription is down (or not yet synchronised) the projection is in `fallback`
 * mode and its owner must ask Redis per request through `client`; every time the subscriber
 * connection is ready again, the state is reloaded.
 *
 * A subscriber only listens, so a half-open connection (partition, NAT or load-balancer idle
 * timeout, failover without RST) raises no error until TCP keepalive gives up, minutes later,
 * while the memory goes stale. Hence the watchdog: the subscriber must answer a PING every
 * `subscriberCheckIntervalMs`; when it does not, the projection falls back at once and a new
 * subscriber connection resynchronises as after any reconnect.
 */
export class LiveProjection<State, Event> {
  /** For the owner's per-request reads in fallback mode. */
  readonly client: RedisClient;
  private readonly logger: Logger;
  private subscriber: RedisClient;
  private current?: State;
  private modeNow: ProjectionMode = 'fallback';
  /** Events received while a reload runs, applied on top of what it loaded. */
  private pending?: Event[];
  private generation = 0;
  /** The subscriber holding our subscription (node-redis renews it by itself after a reconnect). */
  private subscribedOn?: RedisClient;
  private closed = false;
  private watchdogTimer?: NodeJS.Timeout;
  private pinging = false;

  constructor(
    private readonly source: ProjectionSource<State, Event>,
    private readonly settings: ProjectionSettings,
  ) {
    this.logger = new Logger(`Projection:${source.name}`);
    this.client = createRedisClient({ url: settings.redisUrl, commandTimeoutMs: settings.commandTimeoutMs, name: `${settings.clientName}:${source.name}` });
    this.subscriber = this.createSubscriber();
  }

  get mode(): ProjectionMode {
    return this.modeNow;
  }

  /** The state in memory: defined only in live mode, when it is complete and current. */
  get state(): State | undefined {
    return this.modeNow === 'live' ? this.current : undefined;
  }

  /** Connects in the background: a service starts (and fails closed) while Redis is down. */
  start(): void {
    for (const client of [this.client, this.subscriber]) this.connect(client);
    this.watchdogTimer = setInterval(() => void this.checkSubscriber(), this.settings.subscriberCheckIntervalMs).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
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
    const subscriber = createRedisClient({ url, commandTimeoutMs, name: `${clientName}:${this.source.name}-sub` });
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
      this.logger.warn(`${this.source.channel} silent (${(error as Error).message}); checking Redis per request and reconnecting it`);
      this.fallBack();
      // node-redis cannot tell the connection is dead: drop it and open a new one, whose 'ready' resynchronises.
      this.subscriber = this.createSubscriber();
      subscriber.destroy();
      this.connect(this.subscriber);
    } finally {
      this.pinging = false;
    }
  }

  private fallBack(): void {
    if (this.modeNow === 'live') this.logger.warn(`${this.source.channel} lost; checking Redis per request until it is back`);
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
        await subscriber.subscribe(this.source.channel, (message) => this.onMessage(message));
        this.subscribedOn = subscriber;
      }
      const loaded = await this.source.load(this.client);
      if (generation !== this.generation || this.closed) return;
      for (const event of this.pending) this.source.apply(loaded, event);
      this.current = loaded;
      this.pending = undefined;
      this.modeNow = 'live';
      this.logger.log(`${this.source.name} state loaded; following ${this.source.channel}`);
    } catch (error) {
      if (generation !== this.generation || this.closed) return;
      this.logger.warn(`${this.source.name} state not loaded: ${(error as Error).message}; retrying`);
      setTimeout(() => {
        if (generation === this.generation && this.subscriber.isReady) void this.synchronise();
      }, 250).unref();
    }
  }

  private onMessage(message: string): void {
    const event = this.source.decode(message);
    if (event === undefined) return;
    if (this.current !== undefined) this.source.apply(this.current, event);
    this.pending?.push(event);
  }
}
