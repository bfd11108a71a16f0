import type { Reflector } from '@nestjs/core';
import type { ExecutionContext } from '@nestjs/common';
import { IS_PUBLIC_ROUTE } from '@sso/platform';
import { API_KEY_ACL } from './allow-api-key.decorator.js';
import { REQUIRED_SCOPES } from './scopes.decorator.js';

/** What the decorators of a route (method first, then controller) ask for. */
export interface RouteProtection {
  isPublic: boolean;
  scopes: string[];
  apiKeyAcl: string[];
}

type Target = Parameters<Reflector['getAllAndMerge']>[1][number];

export function routeProtection(reflector: Reflector, handler: Target, controller: Target): RouteProtection {
  const targets = [handler, controller];
  return {
    isPublic: reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_ROUTE, targets) === true,
    scopes: [...new Set(reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES, targets) ?? [])],
    apiKeyAcl: reflector.getAllAndOverride<string[] | undefined>(API_KEY_ACL, targets) ?? [],
  };
}

export function protectionOf(reflector: Reflector, context: ExecutionContext): RouteProtection {
  return routeProtection(reflector, context.getHandler(), context.getClass());
}
