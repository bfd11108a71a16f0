import { SetMetadata } from '@nestjs/common';

/**
 * What a service's platform and the guard library agree on, so the guard library needs nothing
 * of the platform (nor its database layer) and a team's own Nest app can use it alone.
 */

/** The metadata key the global guard reads: a route (or controller) reachable without credentials. */
export const IS_PUBLIC_ROUTE = 'sso:public';

/** Marks a route (or a controller) reachable without credentials; everything else is denied. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_ROUTE, true);

/** Where a service's readiness checks are registered; the platform provides it, a team's app may. */
export const HEALTH_CHECKS = Symbol.for('sso:health-checks');

export interface HealthChecks {
  /** `probe` rejecting (or not settling in time) makes the service not ready. */
  addCheck(name: string, probe: () => Promise<unknown>): void;
}

/** The prom-client Registry a service's metrics go to; the platform provides it, a team's app may. */
export const METRICS_REGISTRY = Symbol.for('sso:metrics-registry');

/** An exception that needs headers on its answer (`Retry-After`, `WWW-Authenticate`). */
export interface WithResponseHeaders {
  responseHeaders: Record<string, string>;
}
