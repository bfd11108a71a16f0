import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import passport from 'passport';
import type { AuthSettings } from '../auth.options.js';
import { JwksKeyStore } from './jwks-key-store.js';
import { registerJwtStrategy, TOKEN_SLOT } from './jwt.strategy.js';
import { rejectionOf } from './rejection-of.js';
import type { VerifiedToken } from './verified-token.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

const VERIFIED_PROPERTY = 'ssoVerifiedToken';
let instances = 0;

/**
 * Verifies access tokens: a cache hit costs a map lookup; a miss goes through
 * @nestjs/passport and passport-jwt (signature and claims) and is cached until `exp`.
 * Revocation is not decided here: the guard checks it on every request, cached or not.
 */
export class TokenVerifier {
  readonly keys: JwksKeyStore;
  private readonly cache: VerifiedTokenCache;
  // Passport strategies live in one process-wide registry: a name per instance keeps two
  // modules (two apps in one test process) from verifying with each other's settings.
  private readonly strategyName = `sso-access-token-${++instances}`;
  private readonly passportGuard: CanActivate;

  constructor(settings: AuthSettings) {
    this.keys = new JwksKeyStore({
      jwksUri: settings.jwksUri,
      algorithms: settings.algorithms,
      refetchIntervalMs: settings.jwksRefetchIntervalMs,
      maxAgeMs: settings.jwksMaxAgeMs,
      timeoutMs: settings.jwksTimeoutMs,
    });
    this.cache = new VerifiedTokenCache(settings.tokenCacheSize);
    registerJwtStrategy(this.strategyName, settings, this.keys);
    class PassportGuard extends AuthGuard(this.strategyName) {
      override getAuthenticateOptions() {
        return { session: false, property: VERIFIED_PROPERTY };
      }
      override handleRequest<T>(error: unknown, verified: T, info: unknown): T {
        if (verified) return verified;
        throw rejectionOf(error ?? info);
      }
    }
    this.passportGuard = new PassportGuard();
  }

  /** The verified token, or throws an AuthRejection saying why not. */
  async verify(token: string): Promise<{ verified: VerifiedToken; cached: boolean }> {
    const hit = this.cache.get(token);
    if (hit) return { verified: hit, cached: true };
    const request: Record<string | symbol, unknown> = { headers: {}, [TOKEN_SLOT]: token };
    const context = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }) } as unknown as ExecutionContext;
    await this.passportGuard.canActivate(context);
    const verified = request[VERIFIED_PROPERTY] as VerifiedToken;
    this.cache.set(token, verified);
    return { verified, cached: false };
  }

  close(): void {
    passport.unuse(this.strategyName);
  }
}
