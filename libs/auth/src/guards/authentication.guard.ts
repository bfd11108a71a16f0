import { type CanActivate, type ExecutionContext, ForbiddenException, HttpException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyRateLimitedException } from '../api-key/api-key-rate-limited.exception.js';
import { ApiKeysUnavailableError } from '../api-key/api-key-store.js';
import { apiKeyCredentialsOf } from '../api-key/api-key-credentials.js';
import type { ApiKeyVerifier } from '../api-key/api-key-verifier.js';
import { API_KEY_VERIFIER, AUTH_SETTINGS } from '../auth.constants.js';
import type { AuthSettings } from '../auth.options.js';
import { AuthRejection } from '../auth-rejection.js';
import { PRINCIPAL, type RequestWithPrincipal } from '../decorators/current-principal.decorator.js';
import { protectionOf } from '../decorators/route-metadata.js';
import { TokenVerifier } from '../jwt/token-verifier.js';
import { AuthMetrics } from '../metrics/auth-metrics.js';
import { RevocationService, RevocationUnavailableError } from '../revocation/revocation.service.js';
import { type HeaderTarget, invalidTokenAnswer, setResponseHeader } from '../www-authenticate.js';
import { ACCEPTED_AS, type RequestWithAcceptance } from './accepted-as.js';
import { bearerToken } from './bearer-token.js';

type HttpRequest = RequestWithPrincipal &
  RequestWithAcceptance & { headers: Record<string, string | string[] | undefined>; query?: unknown; ip?: string; path?: string };

/**
 * The global guard: every route needs a valid, unrevoked access token (or, where
 * `@AllowApiKey()` says so, an API key) unless it is `@Public()`. Puts the principal on the
 * request for `@CurrentPrincipal()`, the scopes guard and any guard of the service's own.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    @Inject(RevocationService) private readonly revocation: RevocationService,
    @Inject(AuthMetrics) private readonly metrics: AuthMetrics,
    @Inject(API_KEY_VERIFIER) private readonly apiKeyVerifier: ApiKeyVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const protection = protectionOf(this.reflector, context);
    if (protection.isPublic) return true;
    const request = context.switchToHttp().getRequest<HttpRequest>();
    try {
      const credentials = request.headers.authorization === undefined && protection.apiKeyAcl.length > 0 ? apiKeyCredentialsOf(request, protection.apiKeyInQuery) : undefined;
      if (credentials) {
        request[PRINCIPAL] = await this.apiKeyVerifier.verify({ ...credentials, acl: protection.apiKeyAcl, request });
        request[ACCEPTED_AS] = 'api_key';
        this.announceDeprecation(context.switchToHttp().getResponse());
        return true;
      }
      const { verified, cached } = await this.verifier.verify(bearerToken(request.headers.authorization));
      const revoked = await this.revocation.check(verified.revocation);
      if (revoked) throw new AuthRejection('revoked', `the token has been revoked (${revoked})`);
      request[PRINCIPAL] = verified.principal;
      request[ACCEPTED_AS] = cached ? 'cached' : 'verified';
      return true;
    } catch (error) {
      throw this.answer(error, context.switchToHttp().getResponse());
    }
  }

  /** RFC 9745: keys still work, and every answer to one says what replaces them. */
  private announceDeprecation(response: HeaderTarget): void {
    if (!this.settings.apiKeys) return;
    setResponseHeader(response, 'Deprecation', `@${API_KEYS_DEPRECATED_SINCE}`);
    setResponseHeader(response, 'Link', `<${this.settings.apiKeys.migrationGuideUrl}>; rel="deprecation"`);
  }

  private answer(error: unknown, response: HeaderTarget): unknown {
    if (error instanceof ApiKeysUnavailableError) {
      this.metrics.record('unavailable', 'api_key_unavailable');
      return new ServiceUnavailableException({ message: new AuthRejection('api_key_unavailable').description, code: 'api_key_unavailable', error: 'Service Unavailable' });
    }
    const rejection = error instanceof RevocationUnavailableError ? new AuthRejection('revocation_unavailable') : error;
    if (!(rejection instanceof AuthRejection)) {
      if (error instanceof HttpException) this.metrics.record('rejected', 'api_key_refused');
      // Written here, not left to @sso/platform's filter: an app of a team's own has no such filter.
      if (error instanceof ApiKeyRateLimitedException) for (const [name, value] of Object.entries(error.responseHeaders)) setResponseHeader(response, name, value);
      return error;
    }
    if (rejection.reason === 'api_key_refused') {
      this.metrics.record('rejected', rejection.reason);
      return new ForbiddenException({ message: rejection.description, code: rejection.reason, error: 'Forbidden' });
    }
    const status = rejection.reason === 'jwks_unavailable' ? 503 : rejection.reason === 'revocation_unavailable' ? this.settings.revocationUnavailableStatus : 401;
    this.metrics.record(status === 401 && rejection.reason !== 'revocation_unavailable' ? 'rejected' : 'unavailable', rejection.reason);
    return invalidTokenAnswer(response, rejection, status);
  }
}

/** When API keys were deprecated in favour of access tokens (Unix seconds): 2026-12-01T00:00:00Z. */
const API_KEYS_DEPRECATED_SINCE = Date.UTC(2026, 11, 1) / 1000;

