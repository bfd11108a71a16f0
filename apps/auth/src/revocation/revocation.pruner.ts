import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { RevocationStore } from './revocation.store.js';

export const PRUNE_INTERVAL_MS = 60_000;

/**
 * Deletes revocation rows that can no longer refuse a live token, once a minute: on a timer
 * rather than on each write, so a revocation costs one statement and a burst of them (a mass
 * logout) does not repeat the same deletes. Rows of a minute past use are harmless: a rebuild
 * skips them. Every replica prunes; the deletes are idempotent.
 */
@Injectable()
export class RevocationPruner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('RevocationPruner');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(private readonly store: RevocationStore) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.prune(), PRUNE_INTERVAL_MS).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass; returns how many rows went (0 when it failed, which is logged and retried next time). */
  async prune(): Promise<number> {
    const pass = this.store.prune().then(
      (removed) => {
        if (removed > 0) this.logger.log(`pruned ${removed} revocations past use`);
        return removed;
      },
      (error: Error) => {
        this.logger.warn(`revocations not pruned: ${error.message}; retrying in ${PRUNE_INTERVAL_MS / 1000} s`);
        return 0;
      },
    );
    this.running = pass;
    return pass;
  }
}
