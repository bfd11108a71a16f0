import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { REDIS_CLIENT, type RedisClient } from '../redis/redis-client.js';
import { withTimeout } from './readiness.js';

const CHECK_TIMEOUT_MS = 2_000;

export type CheckResult = { status: 'up' } | { status: 'down'; reason: string };

export interface Readiness {
  status: 'ready' | 'unavailable';
  checks: Record<string, CheckResult>;
}

/** Whether this instance can serve: its database and Redis answer and it is not stopping. */
@Injectable()
export class HealthService implements BeforeApplicationShutdown {
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
  ) {}

  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  async readiness(): Promise<Readiness> {
    const [database, redis] = await Promise.all([
      this.check(() => this.dataSource.query('SELECT 1'), 'database'),
      this.check(() => this.pingRedis(), 'redis'),
    ]);
    const checks: Record<string, CheckResult> = { database, redis };
    if (this.stopping) checks.shutdown = { status: 'down', reason: 'the service is shutting down' };
    const ready = Object.values(checks).every((check) => check.status === 'up');
    return { status: ready ? 'ready' : 'unavailable', checks };
  }

  private async pingRedis(): Promise<void> {
    if (!this.redis.isReady) throw new Error('not connected');
    await this.redis.ping();
  }

  private async check(probe: () => Promise<unknown>, what: string): Promise<CheckResult> {
    try {
      await withTimeout(probe(), CHECK_TIMEOUT_MS, what);
      return { status: 'up' };
    } catch (error) {
      return { status: 'down', reason: (error as Error).message };
    }
  }
}
