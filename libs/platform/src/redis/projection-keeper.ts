import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { decodeProjectionGeneration, encodeProjectionGeneration, projectionGenerationKey, type ProjectionName } from '@sso/contracts';
import { Counter, Histogram, type Registry } from 'prom-client';
import { withTimeout } from '@sso/contracts';
import type { RedisClient } from './redis-client.js';

/** What a database that owns a projection in Redis does for its keeper. */
export interface ProjectionOwner {
  name: ProjectionName;
  /** The identity of the database the projection is built from: stable across restarts. */
  sourceId(): Promise<string>;
  /**
   * Writes the whole projection from the database and returns how many entries it wrote.
   * `foreign`: Redis holds another database's projection, to be removed first.
   */
  rebuild(foreign: boolean): Promise<number>;
}

export interface ProjectionKeeperOptions {
  namespace: string;
  /** How often the marker is checked while connected (a flush loses it without a reconnect). */
  checkIntervalMs: number;
  /** Where the rebuild count and duration are counted (the service's MetricsService registry). */
  registry?: Registry;
}

const MARKER_TIMEOUT_MS = 2_000;
/** Gives up the sentinel of a rebuild that failed, if it is still ours. */
const RELEASE_IF_OURS = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

/**
 * How long a rebuild holds the sentinel: another owner replica waits rather than rebuilding
 * over it; one that died mid-rebuild blocks the others this long at most.
 */
const REBUILD_LEASE_MS = 60_000;

/**
 * Marks the generation only if the rebuild's sentinel is still there: a flush (or a restart)
 * during the rebuild removed it, and the half-written projection must not be called whole.
 */
const MARK_IF_INTACT = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('DEL', KEYS[2])
return 1`;

/**
 * Keeps an owner's projection in Redis whole (see @sso/contracts projection-generation.ts).
 * Every time the Redis client becomes ready, and whenever the periodic check finds the marker
 * missing or written from another database, it removes the marker (guards then trust nothing
 * they do not already know), has the owner write everything from its database, and marks the
 * result with a new generation. A reconnect rebuilds even with the marker present: a failover
 * to a replica that lagged keeps the marker but may have lost the last writes.
 */
export class ProjectionKeeper {
  private readonly logger: Logger;
  private readonly markerKey: string;
  private readonly sentinelKey: string;
  private readonly rebuilds?: Counter<'projection' | 'reason'>;
  private readonly duration?: Histogram<'projection'>;
  private readonly onReady = () => void this.rebuild('Redis became ready');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again?: string;
  /** A rebuild owed (the last one failed, or the owner lost a write): the next check runs it, whatever the marker says. */
  private owed?: string;
  private closed = false;

  constructor(
    private readonly redis: RedisClient,
    private readonly owner: ProjectionOwner,
    private readonly options: ProjectionKeeperOptions,
  ) {
    this.logger = new Logger(`Projection:${owner.name}`);
    this.markerKey = projectionGenerationKey(options.namespace, owner.name);
    this.sentinelKey = `${this.markerKey}:building`;
    if (options.registry) {
      const existing = options.registry.getSingleMetric('sso_projection_rebuilds_total') as Counter<'projection' | 'reason'> | undefined;
      this.rebuilds = existing ?? new Counter({ name: 'sso_projection_rebuilds_total', help: 'Rebuilds of a Redis projection from its owner database, by reason', labelNames: ['projection', 'reason'], registers: [options.registry] });
      const existingDuration = options.registry.getSingleMetric('sso_projection_rebuild_duration_seconds') as Histogram<'projection'> | undefined;
      this.duration =
        existingDuration ??
        new Histogram({ name: 'sso_projection_rebuild_duration_seconds', help: 'Time to rebuild a Redis projection from its owner database', labelNames: ['projection'], buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30], registers: [options.registry] });
    }
  }

  start(): void {
    this.redis.on('ready', this.onReady);
    if (this.redis.isReady) this.onReady();
    this.timer = setInterval(() => void this.check(), this.options.checkIntervalMs).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.redis.off('ready', this.onReady);
    await this.running;
  }

  /** Rebuilds when the marker is missing or another database's, or the last rebuild failed; quiet when Redis is away (its 'ready' will rebuild). */
  async check(): Promise<void> {
    if (this.closed || this.running || !this.redis.isReady) return;
    if (this.owed) return void this.rebuild(this.owed);
    try {
      const marker = decodeProjectionGeneration(await withTimeout(this.redis.get(this.markerKey), MARKER_TIMEOUT_MS, 'the projection marker'));
      if (!marker) return void this.rebuild('marker missing');
      if (marker.source !== (await this.owner.sourceId())) return void this.rebuild('marker of another database');
    } catch {
      // Redis is going away: the next 'ready' rebuilds.
    }
  }

  /** A rebuild is owed: until one completes, what Redis holds may lack the owner's last writes. */
  get owes(): boolean {
    return this.owed !== undefined;
  }

  /**
   * The owner failed to write Redis and cannot tell what Redis holds: a rebuild is owed, and is
   * retried at every check until one completes, even while the marker stands.
   */
  owe(reason: string): void {
    this.owed = reason;
    void this.rebuild(reason);
  }

  /** One rebuild at a time; a request during one runs once more after it. */
  rebuild(reason: string): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = reason;
      return this.running;
    }
    this.running = this.rebuildNow(reason).finally(() => {
      this.running = undefined;
      const next = this.again;
      this.again = undefined;
      if (next && !this.closed) void this.rebuild(next);
    });
    return this.running;
  }

  private async rebuildNow(reason: string): Promise<void> {
    const started = performance.now();
    const sentinel = randomUUID();
    try {
      const source = await this.owner.sourceId();
      const previous = decodeProjectionGeneration(await withTimeout(this.redis.get(this.markerKey), MARKER_TIMEOUT_MS, 'the projection marker'));
      const foreign = previous !== undefined && previous.source !== source;
      // One owner replica rebuilds at a time: another's rebuild is left to finish and mark.
      const taken = await withTimeout(this.redis.set(this.sentinelKey, sentinel, { condition: 'NX', expiration: { type: 'PX', value: REBUILD_LEASE_MS } }), MARKER_TIMEOUT_MS, 'the rebuild sentinel');
      if (taken !== 'OK') {
        this.logger.log(`projection rebuild (${reason}) left to another owner replica, which is rebuilding`);
        return;
      }
      // Guards stop trusting what they do not already know until the new generation is marked.
      await withTimeout(this.redis.del(this.markerKey), MARKER_TIMEOUT_MS, 'removing the projection marker');
      const entries = await this.owner.rebuild(foreign);
      const generation = randomUUID();
      const marker = encodeProjectionGeneration({ generation, source, builtAt: Date.now() });
      const marked = await withTimeout(this.redis.eval(MARK_IF_INTACT, { keys: [this.markerKey, this.sentinelKey], arguments: [sentinel, marker] }), MARKER_TIMEOUT_MS, 'the projection marker');
      if (Number(marked) !== 1) throw new Error('Redis lost data while the projection was rebuilt (flushed or restarted)');
      this.owed = undefined;
      const seconds = (performance.now() - started) / 1000;
      this.rebuilds?.inc({ projection: this.owner.name, reason });
      this.duration?.observe({ projection: this.owner.name }, seconds);
      this.logger.log(`projection rebuilt (${reason}${foreign ? '; it held another database’s projection, removed' : ''}): ${entries} entries in ${seconds.toFixed(2)} s, generation ${generation}`);
    } catch (error) {
      this.owed = reason;
      this.logger.warn(`projection not rebuilt (${reason}): ${(error as Error).message}; retrying at the next check`);
      await this.redis.eval(RELEASE_IF_OURS, { keys: [this.sentinelKey], arguments: [sentinel] }).catch(() => undefined);
    }
  }
}
