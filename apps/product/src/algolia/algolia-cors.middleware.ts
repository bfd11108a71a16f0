import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';

const SEARCH_BY_POST = /^\/1\/indexes\/[^/]+\/(query|queries)$/;
const TASK = /^\/1\/indexes\/[^/]+\/task\/[^/]+$/;

/** The Algolia routes a storefront calls from the browser: searches (GET and POST) and getObject. */
export function isCatalogRead(method: string, path: string): boolean {
  if (method === 'GET' || method === 'HEAD') return !TASK.test(path);
  return method === 'POST' && SEARCH_BY_POST.test(path);
}

/**
 * CORS for the Algolia read routes, from any origin (keys travel in the URL or a header, never
 * in a cookie; a key's `referers` limit the sites). The browser clients send keys in the query
 * string and JSON as text/plain, so a search needs no preflight; the preflight of the header
 * form is answered too. Writes get no CORS: write keys do not belong in a browser.
 */
@Injectable()
export class AlgoliaCorsMiddleware implements NestMiddleware {
  use(request: IncomingMessage & { originalUrl?: string }, response: ServerResponse, next: () => void): void {
    const path = (request.originalUrl ?? request.url ?? '').split('?')[0];
    if (request.method === 'OPTIONS') {
      const method = String(request.headers['access-control-request-method']).toUpperCase();
      if (!isCatalogRead(method, path)) return next();
      response.setHeader('Access-Control-Allow-Origin', '*');
      // Only the method asked for, which is a read of this path: a browser caches the answer per URL.
      response.setHeader('Access-Control-Allow-Methods', method);
      response.setHeader('Access-Control-Allow-Headers', 'x-algolia-api-key, x-algolia-application-id, authorization, content-type, x-request-id');
      response.setHeader('Access-Control-Max-Age', '600');
      response.statusCode = 204;
      response.end();
      return;
    }
    if (isCatalogRead(request.method ?? '', path)) response.setHeader('Access-Control-Allow-Origin', '*');
    next();
  }
}
