import { Inject, Injectable } from '@nestjs/common';
import { ServiceHttpClient, TokenEndpointError } from '@sso/auth';
import { SERVICE_CONFIG } from '@sso/platform';
import { serviceClientOf, type BillingConfig } from '../config.js';
import { usageErrors } from './usage-errors.js';

/** What usage-tracking's `GET /usage/summary` answers. */
export interface UsageSummary {
  subject: string;
  from: string;
  to: string;
  metrics: Record<string, number>;
}

/** Token endpoint answers that mean "this subject token cannot be exchanged", not an outage. */
const EXCHANGE_REFUSALS = new Set(['invalid_grant', 'invalid_scope', 'invalid_target']);

/** Reads usage-tracking's summaries, with billing's own token or on behalf of the caller. */
@Injectable()
export class UsageClient {
  constructor(
    private readonly http: ServiceHttpClient,
    @Inject(SERVICE_CONFIG) private readonly config: BillingConfig,
  ) {}

  /** With billing's own client-credentials token: billing may read any subject. */
  summaryAsBilling(subject: string, from: string, to: string): Promise<UsageSummary> {
    return this.call(() => this.http.fetch(this.summaryUrl(subject, from, to), this.init()), false);
  }

  /** On behalf of the caller (RFC 8693): usage-tracking sees the caller as `sub` and billing as `act`. */
  summaryOnBehalfOf(callerToken: string, subject: string, from: string, to: string): Promise<UsageSummary> {
    return this.call(() => this.http.onBehalfOf(callerToken, 'usage-tracking', ['usage-tracking:read'], this.summaryUrl(subject, from, to), this.init()), true);
  }

  private summaryUrl(subject: string, from: string, to: string): URL {
    const url = new URL('/usage/summary', this.config.USAGE_TRACKING_URL);
    url.search = new URLSearchParams({ subject, from, to }).toString();
    return url;
  }

  private init(): RequestInit {
    return { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.config.USAGE_TRACKING_TIMEOUT_MS) };
  }

  private async call(send: () => Promise<Response>, exchanged: boolean): Promise<UsageSummary> {
    if (!serviceClientOf(this.config)) throw usageErrors.clientNotConfigured();
    let response: Response;
    try {
      response = await send();
    } catch (error) {
      if (error instanceof TokenEndpointError) {
        if (error.status === undefined || error.status >= 500) throw usageErrors.authUnavailable();
        if (exchanged && error.error && EXCHANGE_REFUSALS.has(error.error)) throw usageErrors.exchangeRefused();
        throw usageErrors.authRefused(error.status, error.error);
      }
      throw usageErrors.usageUnavailable();
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw usageErrors.usageFailed(response.status);
    }
    return readSummary(await response.json().catch(() => undefined));
  }
}

function readSummary(body: unknown): UsageSummary {
  const summary = body as Partial<UsageSummary> | undefined;
  const metrics = summary?.metrics;
  if (!metrics || typeof metrics !== 'object' || Array.isArray(metrics)) throw usageErrors.usageInvalid();
  for (const value of Object.values(metrics)) if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw usageErrors.usageInvalid();
  return summary as UsageSummary;
}
