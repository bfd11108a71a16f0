import { RequestMethod, type INestApplicationContext } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { routeProtection } from '../decorators/route-metadata.js';

/**
 * Every route of the application that is neither `@Public()` nor protected by `@Scopes()`
 * or `@AllowApiKey()`, as "GET /path (Controller.method)". Each app's spec asserts it is
 * empty, so a route added without a decision fails the build instead of shipping.
 */
export function findUnprotectedRoutes(app: INestApplicationContext): string[] {
  const reflector = new Reflector();
  const scanner = new MetadataScanner();
  const found: string[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller?.prototype) continue;
      const base = pathsOf(Reflect.getMetadata(PATH_METADATA, controller));
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const { isPublic, scopes, apiKeyAcl } = routeProtection(reflector, handler, controller);
        if (isPublic || scopes.length > 0 || apiKeyAcl.length > 0) continue;
        for (const path of pathsOf(Reflect.getMetadata(PATH_METADATA, handler))) {
          found.push(`${RequestMethod[method]} /${[base[0], path].filter((part) => part && part !== '/').join('/').replace(/^\/+/, '')} (${controller.name}.${name})`);
        }
      }
    }
  }
  return found.sort();
}

function pathsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return [typeof value === 'string' ? value : ''];
}
