import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { REDIS_CLIENT, type RedisClient } from '../redis/redis-client.js';
import { withTimeout } from '@sso/contracts';

const CHECK_TIMEOUT_MS = 2_000;

export type CheckResult = { status: 'up' } | { status: 'down'; reason: string };

export interface Readiness {
  status: 'ready' | 'unavailable';
  checks: Record<string, CheckResult>;
}

/** What must hold for the service to serve, beyond its database and Redis; rejects (with a reason) when it does not. */
export type ReadinessProbe = () => Promise<unknown>;

/**
 * Whether this instance can serve: its database and Redis answer, every probe another module
 * added holds (e.g. the service can get its own token from auth), and it is not stopping.
 */
@Injectable()
export class HealthService implements BeforeApplicationShutdown {
  private stopping = false;
  private readonly probes = new Map<string, ReadinessProbe>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
  ) {}

  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  /** Adds a check to readiness, reported under `name` (a name not taken yet). */
  addCheck(name: string, probe: ReadinessProbe): void {
    if (['database', 'redis', 'shutdown'].includes(name) || this.probes.has(name)) throw new Error(`a readiness check named ${name} exists already`);
    this.probes.set(name, probe);
  }

  async readiness(): Promise<Readiness> {
    const named: Array<[string, ReadinessProbe]> = [['database', () => this.dataSource.query('SELECT 1')], ['redis', () => this.pingRedis()], ...this.probes];
    const results = await Promise.all(named.map(([name, probe]) => this.check(probe, name)));
    const checks: Record<string, CheckResult> = Object.fromEntries(named.map(([name], index) => [name, results[index]]));
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
