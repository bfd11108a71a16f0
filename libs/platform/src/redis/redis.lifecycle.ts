import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { REDIS_CLIENT, type RedisClient } from './redis-client.js';

/**
 * Connects the shared client without holding up the start (readiness reports it until it
 * is up) and closes it after the HTTP server has drained.
 */
@Injectable()
export class RedisLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');

  constructor(@Inject(REDIS_CLIENT) private readonly client: RedisClient) {}

  onModuleInit(): void {
    this.client.connect().catch((error: Error) => {
      if (this.client.isOpen) this.logger.error(`Redis connection stopped: ${error.message}`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.client.isReady) await this.client.close();
    else this.client.destroy();
  }
}
