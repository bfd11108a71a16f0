import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SERVICE_CONFIG } from '@sso/platform';
import type { ApiKeysConfig } from '../config.js';
import { GuardReports } from './guard-reports.js';
import { KeyRetention } from './key-retention.js';

type Step = 'expire' | 'purge' | 'last-used' | 'deleted-uses';

/**
 * The service's periodic work, every API_KEYS_MAINTENANCE_INTERVAL_MS: expiry, purge, and
 * folding in the guards' reports (rebuilds of the projection are ProjectionService's).
 * Each step fails on its own (logged once until it works again). The timer is unref'd and
 * stops, letting a run in progress finish, before the database and Redis close.
 */
@Injectable()
export class KeyMaintenance implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('KeyMaintenance');
  private readonly failing = new Set<Step>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ApiKeysConfig,
    private readonly retention: KeyRetention,
    private readonly reports: GuardReports,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass of every step; the timer calls it, and so may a test. */
  async runOnce(): Promise<void> {
    await this.step('expire', () => this.retention.expireDue());
    await this.step('purge', () => this.retention.purgeTombstones());
    await this.step('last-used', () => this.reports.foldLastUsed());
    await this.step('deleted-uses', () => this.reports.drainDeletedUses());
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce().finally(() => {
        this.running = undefined;
        this.schedule();
      });
    }, this.config.API_KEYS_MAINTENANCE_INTERVAL_MS);
    this.timer.unref();
  }

  private async step(name: Step, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
      if (this.failing.delete(name)) this.logger.log(`${name} works again`);
    } catch (error) {
      if (!this.failing.has(name)) this.logger.warn(`${name} failed: ${(error as Error).message}`);
      this.failing.add(name);
    }
  }
}
