import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { currentRequestId } from '@sso/platform';
import type { Response } from 'express';
import { OAuthError } from './oauth-error.js';

/**
 * OAuth endpoints answer errors in RFC 6749's shape (`error`, `error_description`), which also
 * carries the contract's `statusCode`, `message` and `requestId`.
 */
@Catch(OAuthError)
export class OAuthErrorFilter implements ExceptionFilter {
  catch(exception: OAuthError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (exception.status === 401) response.setHeader('WWW-Authenticate', exception.basicAuthUsed ? 'Basic realm="sso"' : 'Bearer realm="sso"');
    response.setHeader('Cache-Control', 'no-store');
    response.status(exception.status).json({
      statusCode: exception.status,
      error: exception.error,
      error_description: exception.description,
      message: exception.description,
      requestId: currentRequestId(),
    });
  }
}
