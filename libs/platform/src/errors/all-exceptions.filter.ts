import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { currentRequestId } from '../http/request-context.js';
import type { WithResponseHeaders } from '@sso/contracts';
import { errorBody, type ErrorBody } from './error-body.js';


/**
 * Turns anything thrown into the contract's error body. An HttpException keeps its status
 * and message, which its thrower chose for the client (Nest already maps body-parser's
 * errors, such as invalid JSON or a body too large, to HttpExceptions); anything else is a
 * bare 500 whose details go to the log only. A 503 answers `Retry-After: 1` unless its thrower
 * set one: the outages behind it (Redis, the JWKS, a peer) last seconds.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = toErrorBody(exception, currentRequestId());
    // Only the unexpected is an error to log: a deliberate 503 (a dependency down) is logged by
    // whatever noticed the outage, once per change of state, not once per refused request.
    if (body.statusCode === 500) this.logger.error(exception instanceof Error ? exception : String(exception));
    if (response.headersSent) return;
    const headers = (exception as Partial<WithResponseHeaders> | undefined)?.responseHeaders;
    if (body.statusCode === 503 && !response.getHeader('Retry-After')) response.set('Retry-After', '1');
    if (headers) response.set(headers);
    response.status(body.statusCode).json(body);
  }
}

function toErrorBody(exception: unknown, requestId: string | undefined): ErrorBody {
  if (!(exception instanceof HttpException)) {
    return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error', { requestId });
  }
  const status = exception.getStatus();
  const answer = exception.getResponse();
  // body-parser's refusals reach here wrapped by Nest; their type is a stable code.
  const parserType = (exception.cause as { type?: unknown } | undefined)?.type;
  const parserCode = typeof parserType === 'string' ? parserType : undefined;
  if (typeof answer === 'string') return errorBody(status, answer, { requestId, code: parserCode });
  const { message, error, code } = answer as { message?: string | string[]; error?: string; code?: string };
  return errorBody(status, message ?? exception.message, { requestId, error, code: code ?? parserCode });
}
