import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthRejection } from '../auth-rejection.js';
import { principalOf } from '../decorators/current-principal.decorator.js';
import { protectionOf } from '../decorators/route-metadata.js';
import { AuthMetrics } from '../metrics/auth-metrics.js';
import { insufficientScopeAnswer, invalidTokenAnswer } from '../www-authenticate.js';
import { ACCEPTED_AS, type RequestWithAcceptance } from './accepted-as.js';

/**
 * Runs after the authentication guard: the token must hold every scope of `@Scopes()`
 * (controller and method). An API-key principal passed its ACL check in the key verifier.
 */
@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AuthMetrics) private readonly metrics: AuthMetrics,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const { isPublic, scopes } = protectionOf(this.reflector, context);
    if (isPublic) return true;
    const http = context.switchToHttp();
    const principal = principalOf(context);
    // Only reachable when the authentication guard was removed: still refuse.
    if (!principal) throw invalidTokenAnswer(http.getResponse(), new AuthRejection('missing_token'));
    if (principal.kind !== 'api-key') {
      const missing = scopes.filter((scope) => !principal.scopes.includes(scope));
      if (missing.length > 0) {
        this.metrics.record('rejected', 'insufficient_scope');
        throw insufficientScopeAnswer(http.getResponse(), scopes, missing);
      }
    }
    const acceptedAs = http.getRequest<RequestWithAcceptance>()[ACCEPTED_AS];
    if (acceptedAs) this.metrics.record('accepted', acceptedAs);
    return true;
  }
}
