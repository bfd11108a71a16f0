import { describe, expect, it } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC_ROUTE as PLATFORM_KEY } from '@sso/platform';
import { AllowApiKey } from './allow-api-key.decorator.js';
import { AcceptApiKeyInQuery } from './api-key-in-query.decorator.js';
import { principalOf } from './current-principal.decorator.js';
import { IS_PUBLIC_ROUTE, Public } from './public.decorator.js';
import { routeProtection } from './route-metadata.js';
import { Scopes } from './scopes.decorator.js';

@Public()
class OpenController {
  anything(): void {}
}

@Scopes('product:read')
class ProductsController {
  @AllowApiKey('search', 'browse')
  list(): void {}
  @Scopes('product:write')
  create(): void {}
}

@Public()
class MostlyOpenController {
  browse(): void {}
  @Scopes('product:write')
  write(): void {}
  @AllowApiKey('addObject')
  keyed(): void {}
}

@AcceptApiKeyInQuery()
class BrowserSearchController {
  @Scopes('product:read')
  @AllowApiKey('search')
  search(): void {}
  @Scopes('product:write')
  write(): void {}
}

@Scopes('product:read')
class MostlyClosedController {
  @Public()
  prices(): void {}
  @Public()
  @Scopes('product:admin')
  confused(): void {}
}

describe('decorators', () => {
  const reflector = new Reflector();

  it('@Public() is the platform decorator, on the same metadata key', () => {
    expect(IS_PUBLIC_ROUTE).toBe(PLATFORM_KEY);
    expect(routeProtection(reflector, OpenController.prototype.anything, OpenController).isPublic).toBe(true);
  });

  it('@Scopes() merges controller and method scopes; @AllowApiKey() records the ACL', () => {
    expect(routeProtection(reflector, ProductsController.prototype.create, ProductsController)).toEqual({ isPublic: false, scopes: ['product:write', 'product:read'], apiKeyAcl: [], apiKeyInQuery: false });
    expect(routeProtection(reflector, ProductsController.prototype.list, ProductsController)).toEqual({ isPublic: false, scopes: ['product:read'], apiKeyAcl: ['search', 'browse'], apiKeyInQuery: false });
  });

  it('never lets a controller-level @Public() outweigh a method that asks for scopes or an ACL', () => {
    expect(routeProtection(reflector, MostlyOpenController.prototype.browse, MostlyOpenController).isPublic).toBe(true);
    expect(routeProtection(reflector, MostlyOpenController.prototype.write, MostlyOpenController)).toEqual({ isPublic: false, scopes: ['product:write'], apiKeyAcl: [], apiKeyInQuery: false });
    expect(routeProtection(reflector, MostlyOpenController.prototype.keyed, MostlyOpenController).isPublic).toBe(false);
  });

  it('opens a method marked @Public() under a protected controller, unless the method itself asks for scopes', () => {
    expect(routeProtection(reflector, MostlyClosedController.prototype.prices, MostlyClosedController).isPublic).toBe(true);
    expect(routeProtection(reflector, MostlyClosedController.prototype.confused, MostlyClosedController).isPublic).toBe(false);
  });

  it('@AcceptApiKeyInQuery() counts only where the route accepts a key at all', () => {
    expect(routeProtection(reflector, BrowserSearchController.prototype.search, BrowserSearchController).apiKeyInQuery).toBe(true);
    expect(routeProtection(reflector, BrowserSearchController.prototype.write, BrowserSearchController).apiKeyInQuery).toBe(false);
    expect(routeProtection(reflector, ProductsController.prototype.list, ProductsController).apiKeyInQuery).toBe(false);
  });

  it('refuses malformed scopes and ACL entries at decoration time', () => {
    expect(() => Scopes()).toThrow(/needs one or more/);
    expect(() => Scopes('billing')).toThrow(/needs one or more/);
    expect(() => Scopes('Billing:READ')).toThrow(/needs one or more/);
    expect(() => AllowApiKey()).toThrow(/needs one or more/);
    expect(() => AllowApiKey('search acl')).toThrow(/needs one or more/);
  });

  it('@CurrentPrincipal() reads the principal the guard put on the request', () => {
    const principal = { kind: 'service', subject: 'billing', scopes: [], claims: {} };
    const context = { switchToHttp: () => ({ getRequest: () => ({ principal }) }) } as unknown as ExecutionContext;
    expect(principalOf(context)).toBe(principal);
  });
});
