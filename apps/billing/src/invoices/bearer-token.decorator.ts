import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';

/**
 * The caller's access token as sent, for on-behalf-of calls (token exchange). The global
 * guard has already verified it; it is passed on to auth and never logged.
 */
export const BearerToken = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const header = context.switchToHttp().getRequest<IncomingMessage>().headers.authorization ?? '';
  return header.replace(/^Bearer\s+/i, '');
});
