import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ServiceHttpClient } from '@sso/auth';
import { SERVICE_CONFIG } from '@sso/platform';
import type { ProductConfig } from '../config.js';
import { OutboxMetrics } from './outbox.metrics.js';
import { OutboxService } from './outbox.service.js';

/**
 * Sends undelivered usage events to usage-tracking in batches, with product's own token,
 * and marks them delivered on 202. On failure it waits interval × 2^failures, capped.
 *
 * Delivery is at least once: a 202 lost on the way back, or two replicas reading the same
 * rows, sends an event twice. That is harmless because usage-tracking counts an event id
 * once, so the counted result is exactly once.
 */
@Injectable()
export class OutboxDeliverer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxDeliverer');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private failures = 0;
  private lastPruneMs = 0;

  constructor(
    private readonly outbox: OutboxService,
    private readonly http: ServiceHttpClient,
    private readonly metrics: OutboxMetrics,
    @Inject(SERVICE_CONFIG) private readonly config: ProductConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(this.config.OUTBOX_INTERVAL_MS);
  }

  /** Stops before the database closes, letting a batch in flight finish. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => (this.running = undefined));
    }, delayMs);
  }

  private async tick(): Promise<void> {
    let delay = this.config.OUTBOX_INTERVAL_MS;
    try {
      const sent = await this.deliverBatch();
      await this.pruneNowAndThen();
      if (this.failures > 0) this.logger.log(`usage-tracking accepts events again after ${this.failures} failed attempts`);
      this.failures = 0;
      // A full batch suggests more are waiting: go on at once.
      if (sent === this.config.OUTBOX_BATCH_SIZE) delay = 0;
    } catch (error) {
      this.failures += 1;
      this.metrics.failures.inc();
      delay = Math.min(this.config.OUTBOX_INTERVAL_MS * 2 ** this.failures, this.config.OUTBOX_MAX_BACKOFF_MS);
      // Once per outage, not once per attempt, so a long outage does not flood the log.
      if (this.failures === 1) this.logger.warn(`usage events wait in the outbox: ${(error as Error).message}`);
    } finally {
      this.schedule(delay);
    }
  }

  /** At most once a minute: delivered rows past the retention are of no further use. */
  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPruneMs < 60_000) return;
    this.lastPruneMs = Date.now();
    await this.outbox.pruneDelivered(new Date(Date.now() - this.config.OUTBOX_RETENTION_HOURS * 3_600_000));
  }

  /** Sends one batch; returns how many events usage-tracking accepted. */
  private async deliverBatch(): Promise<number> {
    const events = await this.outbox.undelivered(this.config.OUTBOX_BATCH_SIZE);
    if (events.length === 0) return 0;
    const response = await this.http.fetch(new URL('/usage/events', this.config.USAGE_TRACKING_URL), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(events),
      signal: AbortSignal.timeout(5_000),
    });
    await response.body?.cancel();
    if (response.status !== 202) throw new Error(`usage-tracking answered ${response.status}`);
    await this.outbox.markDelivered(events.map((event) => event.id));
    this.metrics.delivered.inc(events.length);
    return events.length;
  }
}
