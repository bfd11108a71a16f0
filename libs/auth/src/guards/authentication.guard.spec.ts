import { describe, expect, it } from '@jest/globals';
import { type ExecutionContext, ForbiddenException, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Registry } from 'prom-client';
import { refuseAllApiKeys, type ApiKeyVerifier } from '../api-key/api-key-verifier.js';
import { resolveAuthSettings, type AuthModuleOptions } from '../auth.options.js';
import { AuthRejection } from '../auth-rejection.js';
import { AllowApiKey } from '../decorators/allow-api-key.decorator.js';
import { AcceptApiKeyInQuery } from '../decorators/api-key-in-query.decorator.js';
import { Public } from '../decorators/public.decorator.js';
import { Scopes } from '../decorators/scopes.decorator.js';
import type { TokenVerifier } from '../jwt/token-verifier.js';
import type { VerifiedToken } from '../jwt/verified-token.js';
import { AuthMetrics } from '../metrics/auth-metrics.js';
import type { Principal } from '../principal.js';
import { type RevocationService, RevocationUnavailableError } from '../revocation/revocation.service.js';
import { AuthenticationGuard } from './authentication.guard.js';

class RoutesController {
  @Scopes('billing:read')
  read(): void {}
  @Scopes('product:read')
  @AllowApiKey('search')
  search(): void {}
  @Scopes('product:read')
  @AllowApiKey('search')
  @AcceptApiKeyInQuery()
  browserSearch(): void {}
  @Public()
  open(): void {}
}

const principal: Principal = { kind: 'user', subject: 'u1', scopes: ['billing:read'], claims: {} };
const verified: VerifiedToken = { principal, revocation: { jti: 'j', sub: 'u1', client_id: 'web', kid: 'k', iat: 1 }, expiresAtMs: 9e15 };

interface Fakes {
  verify?: TokenVerifier['verify'];
  check?: RevocationService['check'];
  options?: Partial<AuthModuleOptions>;
}

async function run(handler: keyof RoutesController, headers: Record<string, string>, fakes: Fakes = {}, query: Record<string, unknown> = {}) {
  const responseHeaders: Record<string, string> = {};
  const request: Record<string, unknown> = { headers, query };
  const context = {
    getHandler: () => RoutesController.prototype[handler],
    getClass: () => RoutesController,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({ setHeader: (name: string, value: string) => (responseHeaders[name] = value) }) }),
  } as unknown as ExecutionContext;
  const settings = resolveAuthSettings({ issuer: 'http://issuer', audience: 'billing', redisUrl: 'redis://127.0.0.1:1', ...fakes.options });
  const verifier = { verify: fakes.verify ?? (async () => ({ verified, cached: false })) } as TokenVerifier;
  const revocation = { check: fakes.check ?? (() => undefined) } as unknown as RevocationService;
  const guard = new AuthenticationGuard(new Reflector(), settings, verifier, revocation, new AuthMetrics(new Registry()), settings.apiKeyVerifier ?? refuseAllApiKeys);
  try {
    return { allowed: await guard.canActivate(context), request, responseHeaders };
  } catch (error) {
    return { error: error as Error, request, responseHeaders };
  }
}

describe('AuthenticationGuard', () => {
  it('puts the verified principal on the request', async () => {
    const { allowed, request } = await run('read', { authorization: 'Bearer a.b.c' });
    expect(allowed).toBe(true);
    expect(request.principal).toBe(principal);
  });

  it('lets @Public() routes through without looking at credentials', async () => {
    expect((await run('open', {}, { verify: async () => Promise.reject(new Error('not called')) })).allowed).toBe(true);
  });

  it('answers 401 with the challenge for a missing or non-bearer Authorization', async () => {
    for (const headers of [{}, { authorization: 'Basic dTpw' }, { authorization: 'Bearer' }] as Array<Record<string, string>>) {
      const { error, responseHeaders } = await run('read', headers);
      expect(error).toBeInstanceOf(UnauthorizedException);
      expect(responseHeaders['WWW-Authenticate']).toMatch(/^Bearer error="invalid_token", error_description="/);
    }
  });

  it('turns a verification failure into 401 with its reason as code', async () => {
    const { error } = await run('read', { authorization: 'Bearer a.b.c' }, { verify: async () => Promise.reject(new AuthRejection('expired')) });
    expect(error).toBeInstanceOf(UnauthorizedException);
    expect((error as UnauthorizedException).getResponse()).toMatchObject({ code: 'expired', message: 'the token has expired' });
  });

  it('refuses a revoked token, naming what was revoked', async () => {
    const { error, responseHeaders } = await run('read', { authorization: 'Bearer a.b.c' }, { check: () => 'sid' });
    expect(error).toBeInstanceOf(UnauthorizedException);
    expect(responseHeaders['WWW-Authenticate']).toBe('Bearer error="invalid_token", error_description="the token has been revoked (sid)"');
  });

  it('fails closed with 503 when revocation cannot be checked, or 401 when configured so', async () => {
    const check = () => Promise.reject(new RevocationUnavailableError('down'));
    expect((await run('read', { authorization: 'Bearer a.b.c' }, { check })).error).toBeInstanceOf(ServiceUnavailableException);
    expect((await run('read', { authorization: 'Bearer a.b.c' }, { check, options: { revocationUnavailableStatus: 401 } })).error).toBeInstanceOf(UnauthorizedException);
  });

  it('hands an API key to the verifier only on routes that allow one', async () => {
    const seen: unknown[] = [];
    const apiKeyVerifier: ApiKeyVerifier = {
      verify: async (check) => {
        seen.push(check.acl);
        return { kind: 'api-key', subject: 'key-1', scopes: ['search'], claims: {} };
      },
    };
    const headers = { 'x-algolia-api-key': 'secret-key', 'x-algolia-application-id': 'SSODEMO' };
    const accepted = await run('search', headers, { options: { apiKeyVerifier } });
    expect(accepted.allowed).toBe(true);
    expect(accepted.request.principal).toMatchObject({ kind: 'api-key', subject: 'key-1' });
    expect(seen).toEqual([['search']]);
    expect((await run('read', headers, { options: { apiKeyVerifier } })).error).toBeInstanceOf(UnauthorizedException);
  });

  it('takes a key from the query string only on routes that accept it there, and never a token', async () => {
    const seen: unknown[] = [];
    const apiKeyVerifier: ApiKeyVerifier = {
      verify: async (check) => {
        seen.push({ key: check.key, applicationId: check.applicationId });
        return { kind: 'api-key', subject: 'key-1', scopes: ['search'], claims: {} };
      },
    };
    const query = { 'x-algolia-api-key': 'query-key', 'x-algolia-application-id': 'SSODEMO' };
    expect((await run('browserSearch', {}, { options: { apiKeyVerifier } }, query)).allowed).toBe(true);
    expect(seen).toEqual([{ key: 'query-key', applicationId: 'SSODEMO' }]);
    expect((await run('search', {}, { options: { apiKeyVerifier } }, query)).error).toBeInstanceOf(UnauthorizedException);
    const bearerInUrl = await run('browserSearch', {}, { options: { apiKeyVerifier } }, { access_token: 'a.b.c', authorization: 'Bearer a.b.c' });
    expect(bearerInUrl.error).toBeInstanceOf(UnauthorizedException);
    expect(seen).toHaveLength(1);
  });

  it('refuses every API key with 403 when no verifier is configured', async () => {
    expect((await run('search', { 'x-algolia-api-key': 'secret-key' })).error).toBeInstanceOf(ForbiddenException);
  });
});
