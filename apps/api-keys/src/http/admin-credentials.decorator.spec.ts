import { describe, expect, it } from '@jest/globals';
import { METHOD_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import { routeProtection } from '@sso/auth';
import { AuditController } from '../audit/audit.controller.js';
import { KeysController } from '../keys/keys.controller.js';

describe('@AdminCredentials()', () => {
  it.each([[KeysController], [AuditController]])('protects every route of %p with api-keys:admin or the admin key, and nothing else', (controller) => {
    const reflector = new Reflector();
    const prototype = controller.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    const routes = Object.getOwnPropertyNames(prototype).filter((name) => Reflect.getMetadata(METHOD_METADATA, prototype[name]) !== undefined);
    expect(routes.length).toBeGreaterThan(0);
    for (const name of routes) {
      expect({ name, ...routeProtection(reflector, prototype[name], controller) }).toEqual({ name, isPublic: false, scopes: ['api-keys:admin'], apiKeyAcl: ['admin'], apiKeyInQuery: false });
    }
  });
});
