import { type CanActivate, type ExecutionContext, ForbiddenException, HttpException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC_ROUTE, type WithResponseHeaders } from '@sso/platform';
import type { Request } from 'express';
import { OWN_AUDIENCE } from '../tokens/access-token.issuer.js';
import { AccessTokenVerifier, InvalidTokenError } from './access-token.verifier.js';
import type { RequestWithToken } from './current-token.decorator.js';
import { REQUIRED_SCOPES } from './require-token.decorator.js';

class BearerChallenge extends HttpException implements WithResponseHeaders {
  readonly responseHeaders: Record<string, string>;

  constructor(status: 401 | 403, challenge: string, message: string, code: string) {
    super({ message, code }, status);
    this.responseHeaders = { 'WWW-Authenticate': `Bearer ${challenge}` };
  }
}

const quoted = (text: string) => `"${text.replaceAll('"', "'")}"`;

/**
 * The auth service's own gate, installed globally: a route is open only with `@Public()`,
 * otherwise it needs `@RequireToken(...)` and a bearer token that satisfies it (RFC 6750).
 */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_ROUTE, targets)) return true;
    const required = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, targets);
    if (!required) throw new ForbiddenException({ message: 'this route declares no access rule', code: 'route_not_declared' });

    const request = context.switchToHttp().getRequest<Request & RequestWithToken>();
    const header = request.headers.authorization;
    const match = header ? /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/i.exec(header) : null;
    if (!match) throw new BearerChallenge(401, 'realm="sso"', 'a bearer access token is required', 'missing_token');
    try {
      request.accessToken = await this.verifier.verify(match[1], { audience: required.length > 0 ? OWN_AUDIENCE : undefined });
      request.accessTokenRaw = match[1];
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      throw new BearerChallenge(401, `error="invalid_token", error_description=${quoted(error.message)}`, error.message, 'invalid_token');
    }
    const held = new Set(request.accessToken.scope.split(' '));
    const missing = required.filter((scope) => !held.has(scope));
    if (missing.length > 0) {
      throw new BearerChallenge(403, `error="insufficient_scope", scope=${quoted(required.join(' '))}`, `this route needs the scope ${required.join(' ')}`, 'insufficient_scope');
    }
    return true;
  }
}

