import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { MetricsService, ProjectionKeeper, REDIS_CLIENT, SERVICE_CONFIG, type RedisClient } from '@sso/platform';
import type { AuthConfig } from '../config.js';
import { RevocationProjection } from './revocation.projection.js';

/**
 * Runs the ProjectionKeeper of the revocations for the life of the service: it rebuilds Redis
 * from the database whenever the client becomes ready and whenever the marker is found missing
 * or another database's (checked every AUTH_PROJECTION_CHECK_INTERVAL_MS), and logs why.
 * Stopped before the shutdown hooks, which close the shared Redis client under it.
 */
@Injectable()
export class RevocationProjectionKeeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** Public for tests and benchmarks, which trigger checks and rebuilds directly. */
  readonly keeper: ProjectionKeeper;

  constructor(@Inject(REDIS_CLIENT) redis: RedisClient, @Inject(SERVICE_CONFIG) config: AuthConfig, projection: RevocationProjection, metrics: MetricsService) {
    this.keeper = new ProjectionKeeper(redis, projection, { namespace: config.REDIS_NAMESPACE, checkIntervalMs: config.AUTH_PROJECTION_CHECK_INTERVAL_MS, registry: metrics.registry });
  }

  onApplicationBootstrap(): void {
    this.keeper.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.keeper.close();
  }
}
