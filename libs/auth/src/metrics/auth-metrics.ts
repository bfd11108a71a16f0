import { Counter, type Registry } from 'prom-client';
import type { RejectionReason } from '../auth-rejection.js';

export type DecisionOutcome = 'accepted' | 'rejected' | 'unavailable';
/** Accepted requests say how: a fresh signature check, the cache, or an API key. */
export type AcceptReason = 'verified' | 'cached' | 'api_key';

const NAME = 'sso_auth_decisions_total';

/** Counts every decision of the guards, by outcome and reason (both from small fixed sets). */
export class AuthMetrics {
  private readonly decisions: Counter<'outcome' | 'reason'>;

  /** The registry the guard library's metrics go to (the service's, when the platform is there). */
  constructor(readonly registry: Registry) {
    const existing = registry.getSingleMetric(NAME) as Counter<'outcome' | 'reason'> | undefined;
    this.decisions =
      existing ??
      new Counter({
        name: NAME,
        help: 'Authentication and authorisation decisions of the guard library, by outcome and reason',
        labelNames: ['outcome', 'reason'],
        registers: [registry],
      });
  }

  record(outcome: DecisionOutcome, reason: AcceptReason | RejectionReason): void {
    this.decisions.inc({ outcome, reason });
  }
}
