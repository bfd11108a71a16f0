import { HttpException, HttpStatus } from '@nestjs/common';
import type { WithResponseHeaders } from '@sso/contracts';

/** 429 for a key over its `maxQueriesPerIPPerHour`, with the seconds until its window ends. */
export class ApiKeyRateLimitedException extends HttpException implements WithResponseHeaders {
  readonly responseHeaders: Record<string, string>;

  constructor(retryAfterSeconds: number) {
    super({ message: 'too many requests with this API key; try again later', code: 'api_key_rate_limited', error: 'Too Many Requests' }, HttpStatus.TOO_MANY_REQUESTS);
    this.responseHeaders = { 'Retry-After': String(retryAfterSeconds) };
  }
}
