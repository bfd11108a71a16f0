import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { AlgoliaErrorBody } from './algolia-errors.js';

/**
 * The Algolia routes answer every error, the guards' included, in Algolia's shape
 * `{ message, status }`, which its clients turn into an `ApiError`. Headers a refusal needs
 * (`WWW-Authenticate`, `Retry-After`) are kept; an unexpected failure is a bare 500, logged.
 */
@Catch()
export class AlgoliaErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('AlgoliaErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = bodyOf(exception);
    if (body.status === 500) this.logger.error(exception instanceof Error ? exception : String(exception));
    if (response.headersSent) return;
    const headers = (exception as { responseHeaders?: Record<string, string> } | undefined)?.responseHeaders;
    if (headers) response.set(headers);
    if (body.status === 503 && !response.getHeader('Retry-After')) response.set('Retry-After', '1');
    response.status(body.status).json(body);
  }
}

function bodyOf(exception: unknown): AlgoliaErrorBody {
  if (!(exception instanceof HttpException)) return { message: 'Internal server error', status: 500 };
  const status = exception.getStatus();
  const answer = exception.getResponse();
  const message = typeof answer === 'string' ? answer : (answer as { message?: unknown }).message;
  return { message: Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message, status };
}
