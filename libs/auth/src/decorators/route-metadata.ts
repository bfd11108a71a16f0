import type { Reflector } from '@nestjs/core';
import type { ExecutionContext } from '@nestjs/common';
import { IS_PUBLIC_ROUTE } from '@sso/contracts';
import { API_KEY_ACL } from './allow-api-key.decorator.js';
import { API_KEY_IN_QUERY } from './api-key-in-query.decorator.js';
import { REQUIRED_SCOPES } from './scopes.decorator.js';

/** What the decorators of a route (method first, then controller) ask for. */
export interface RouteProtection {
  isPublic: boolean;
  scopes: string[];
  apiKeyAcl: string[];
  /** `@AcceptApiKeyInQuery()`: the key may come as query parameters too. */
  apiKeyInQuery: boolean;
}

type Target = Parameters<Reflector['getAllAndMerge']>[1][number];

/**
 * `@Public()` never silently outweighs a protection: on a method it opens the route unless
 * the method itself also asks for scopes or an API-key ACL; on a controller it opens only
 * the methods that ask for nothing.
 */
export function routeProtection(reflector: Reflector, handler: Target, controller: Target): RouteProtection {
  const targets = [handler, controller];
  const scopes = [...new Set(reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES, targets) ?? [])];
  const apiKeyAcl = reflector.getAllAndOverride<string[] | undefined>(API_KEY_ACL, targets) ?? [];
  const methodAsks = (reflector.get<string[] | undefined>(REQUIRED_SCOPES, handler) ?? []).length > 0 || (reflector.get<string[] | undefined>(API_KEY_ACL, handler) ?? []).length > 0;
  const isPublic =
    reflector.get<boolean | undefined>(IS_PUBLIC_ROUTE, handler) === true
      ? !methodAsks
      : reflector.get<boolean | undefined>(IS_PUBLIC_ROUTE, controller) === true && scopes.length === 0 && apiKeyAcl.length === 0;
  const apiKeyInQuery = apiKeyAcl.length > 0 && reflector.getAllAndOverride<boolean | undefined>(API_KEY_IN_QUERY, targets) === true;
  return { isPublic, scopes, apiKeyAcl, apiKeyInQuery };
}

export function protectionOf(reflector: Reflector, context: ExecutionContext): RouteProtection {
  return routeProtection(reflector, context.getHandler(), context.getClass());
}
