import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * A storefront on another origin reads the catalog from the browser with a search-only key,
 * as Algolia's front-end clients do: the read routes answer CORS and their preflight, allowing
 * the key headers. Any origin may read, since keys and tokens travel in headers, never cookies
 * (a key's `referers` restriction is what limits the sites). Writes get no CORS: write keys
 * do not belong in a browser.
 */
@Injectable()
export class CatalogCorsMiddleware implements NestMiddleware {
  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    const preflight = request.method === 'OPTIONS' && READ_METHODS.has(String(request.headers['access-control-request-method']).toUpperCase());
    if (!preflight && !READ_METHODS.has(request.method ?? '')) return next();
    response.setHeader('Access-Control-Allow-Origin', '*');
    if (!preflight) return next();
    response.setHeader('Access-Control-Allow-Methods', 'GET, HEAD');
    response.setHeader('Access-Control-Allow-Headers', 'x-algolia-api-key, x-algolia-application-id, authorization, content-type, x-request-id');
    response.setHeader('Access-Control-Max-Age', '600');
    response.statusCode = 204;
    response.end();
  }
}
