import { ForbiddenException, HttpException, HttpStatus, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import type { AuthRejection } from './auth-rejection.js';

/** Express's response or Fastify's reply: the guards run on either of Nest's HTTP adapters. */
export type HeaderTarget = { setHeader(name: string, value: string): unknown } | { header(name: string, value: string): unknown };

export function setResponseHeader(response: HeaderTarget, name: string, value: string): void {
  if ('setHeader' in response) response.setHeader(name, value);
  else response.header(name, value);
}

/**
 * Sets the RFC 6750 challenge on the response and returns the exception to throw; the
 * platform's filter then writes the contract's error body with `code` = the reason.
 */
export function invalidTokenAnswer(response: HeaderTarget, rejection: AuthRejection, status: 401 | 503 = 401): HttpException {
  setResponseHeader(response, 'WWW-Authenticate', `Bearer error="invalid_token", error_description="${rejection.description}"`);
  const body = { message: rejection.description, code: rejection.reason };
  if (status === HttpStatus.SERVICE_UNAVAILABLE) return new ServiceUnavailableException({ ...body, error: 'Service Unavailable' });
  return new UnauthorizedException({ ...body, error: 'Unauthorized' });
}

/** 403 for a valid token that lacks scopes: names every scope the route needs. */
export function insufficientScopeAnswer(response: HeaderTarget, required: readonly string[], missing: readonly string[]): HttpException {
  setResponseHeader(response, 'WWW-Authenticate', `Bearer error="insufficient_scope", scope="${required.join(' ')}"`);
  return new ForbiddenException({ message: `missing scope: ${missing.join(' ')}`, code: 'insufficient_scope', error: 'Forbidden' });
}
