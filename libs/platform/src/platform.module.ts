import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HEALTH_CHECKS, METRICS_REGISTRY } from '@sso/contracts';
import { SERVICE_CONFIG } from './config/service-config.token.js';
import type { PlatformConfig } from './config/load-config.js';
import { dataSourceOptions, type DatabaseSchema } from './database/data-source-options.js';
import { openDataSource } from './database/startup-lock.js';
import { AllExceptionsFilter } from './errors/all-exceptions.filter.js';
import { createValidationPipe } from './errors/validation.pipe.js';
import { HealthController } from './health/health.controller.js';
import { HealthService } from './health/health.service.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { MetricsService } from './metrics/metrics.service.js';
import { createRedisClient, REDIS_CLIENT } from './redis/redis-client.js';
import { RedisLifecycle } from './redis/redis.lifecycle.js';

export interface PlatformOptions {
  config: PlatformConfig;
  /** Migrations of this service; entities come from `TypeOrmModule.forFeature`. */
  migrations?: DatabaseSchema['migrations'];
}

/**
 * Everything a service shares with the others: configuration, database, Redis, health,
 * metrics, the error body and input validation. Import it once, in the root module.
 */
@Module({})
export class PlatformModule {
  static forRoot({ config, migrations }: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...dataSourceOptions(config, { migrations }), autoLoadEntities: true, retryAttempts: 3, retryDelay: 1_000 }),
          dataSourceFactory: (options) => openDataSource(options!),
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: REDIS_CLIENT, useFactory: () => createRedisClient({ url: config.REDIS_URL, name: config.service }) },
        RedisLifecycle,
        HealthService,
        MetricsService,
        // The guard library's hooks: its readiness checks and metrics join the service's.
        { provide: HEALTH_CHECKS, useExisting: HealthService },
        { provide: METRICS_REGISTRY, inject: [MetricsService], useFactory: (metrics: MetricsService) => metrics.registry },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
      exports: [SERVICE_CONFIG, REDIS_CLIENT, MetricsService, HealthService, HEALTH_CHECKS, METRICS_REGISTRY],
    };
  }
}
