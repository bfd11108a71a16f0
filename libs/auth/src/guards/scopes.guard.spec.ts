import { describe, expect, it } from '@jest/globals';
import { type ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Registry } from 'prom-client';
import { Public } from '../decorators/public.decorator.js';
import { Scopes } from '../decorators/scopes.decorator.js';
import { AuthMetrics } from '../metrics/auth-metrics.js';
import type { Principal } from '../principal.js';
import { ScopesGuard } from './scopes.guard.js';

@Scopes('billing:read')
class InvoicesController {
  @Scopes('billing:write')
  create(): void {}
  list(): void {}
  @Public()
  open(): void {}
}

function run(handler: keyof InvoicesController, principal?: Partial<Principal>) {
  const headers: Record<string, string> = {};
  const request = { principal: principal && { kind: 'user', subject: 'u1', scopes: [], claims: {}, ...principal } };
  const context = {
    getHandler: () => InvoicesController.prototype[handler],
    getClass: () => InvoicesController,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({ setHeader: (name: string, value: string) => (headers[name] = value) }) }),
  } as unknown as ExecutionContext;
  const registry = new Registry();
  const guard = new ScopesGuard(new Reflector(), new AuthMetrics(registry));
  try {
    return { allowed: guard.canActivate(context), headers, registry };
  } catch (error) {
    return { error, headers, registry };
  }
}

describe('ScopesGuard', () => {
  it('requires the scopes of the controller and of the method, all of them', () => {
    expect(run('create', { scopes: ['billing:read', 'billing:write'] }).allowed).toBe(true);
    const { error, headers } = run('create', { scopes: ['billing:write'] });
    expect(error).toBeInstanceOf(ForbiddenException);
    expect(headers['WWW-Authenticate']).toBe('Bearer error="insufficient_scope", scope="billing:write billing:read"');
  });

  it('lets a public route through without a principal', () => {
    expect(run('open').allowed).toBe(true);
  });

  it('refuses a protected route when no principal was set', () => {
    expect(run('list').error).toBeInstanceOf(UnauthorizedException);
  });

  it('leaves API-key principals to the key verifier', () => {
    expect(run('create', { kind: 'api-key', scopes: ['search'] }).allowed).toBe(true);
  });

  it('counts an insufficient scope', async () => {
    const { registry } = run('list', { scopes: ['product:read'] });
    expect(await registry.metrics()).toContain('sso_auth_decisions_total{outcome="rejected",reason="insufficient_scope"} 1');
  });
});
