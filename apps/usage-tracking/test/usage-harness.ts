import { startServiceHarness, type DatabaseKind, type ServiceHarness } from '@sso/service-testing';
import { usageTrackingService } from '../src/service.js';

export { json } from '@sso/service-testing';

export interface Recorded {
  accepted: number;
  duplicates: number;
}

export interface Summary {
  subject: string;
  from: string;
  to: string;
  metrics: Record<string, number>;
}

export interface EventPage {
  items: Array<{ id: string; subject: string; service: string; metric: string; quantity: number; occurredAt: string; receivedAt: string }>;
  total: number;
  offset: number;
  limit: number;
}

export interface UsageHarness extends ServiceHarness {
  /** Rows in usage_events, straight from the database. */
  rows(): Promise<number>;
}

/** usage-tracking as main.ts builds it, trusting a stand-in issuer; SQLite or a fresh PostgreSQL database. */
export async function startUsageTracking(database: DatabaseKind): Promise<UsageHarness> {
  const harness = await startServiceHarness(usageTrackingService, { database, audience: ['usage-tracking'], scope: 'usage-tracking:read usage-tracking:write' });
  return { ...harness, rows: () => harness.count('usage_events') };
}
