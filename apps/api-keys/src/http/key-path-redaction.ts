import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FactoryProvider } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { apiKeyHash } from '@sso/contracts';
import { KEY_ID_PATTERN } from '../keys/key-address.js';

export const ADDRESSED_KEY = Symbol('api-keys:addressed-key');
export type RequestWithAddressedKey = IncomingMessage & { [ADDRESSED_KEY]?: string };

// Case-insensitive, as Express routes are: /1/KEYS/<key> reaches the same handler.
const KEY_PATH = /^\/1\/keys\/([^/?#]+)(.*)$/is;

/**
 * `/1/keys/<key>` carries a key in the path, and every later step (the access log, Express's
 * routing, error logs) sees `req.url`. So before anything else runs, a segment that is not a
 * key id is replaced by its SHA-256 and kept on the request for the route alone. Logs then
 * show `/1/keys/<sha256>`: never the key, and never a near-miss of one either.
 */
export function redactKeyInPath(req: RequestWithAddressedKey, _res: ServerResponse, next: () => void): void {
  const match = KEY_PATH.exec(req.url ?? '');
  if (match && !KEY_ID_PATTERN.test(match[1])) {
    let segment = match[1];
    try {
      segment = decodeURIComponent(segment);
    } catch {
      // A malformed escape is kept as sent; it names no key and gets 404.
    }
    req[ADDRESSED_KEY] = segment;
    req.url = `/1/keys/${apiKeyHash(segment)}${match[2]}`;
  }
  next();
}

export const KEY_PATH_REDACTION = Symbol('api-keys:key-path-redaction');

/**
 * Installs the redaction on the Express app while the module is being built, which is before
 * the platform adds its request-id, access-log and body-parser middleware (createServiceApp
 * adds those once NestFactory.create has returned), so it is the first thing every request meets.
 */
export const keyPathRedactionProvider: FactoryProvider = {
  provide: KEY_PATH_REDACTION,
  inject: [HttpAdapterHost],
  useFactory: (host: HttpAdapterHost) => {
    host.httpAdapter?.use(redactKeyInPath);
    return true;
  },
};
