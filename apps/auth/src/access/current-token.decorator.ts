import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { VerifiedToken } from './access-token.verifier.js';

export type RequestWithToken = { accessToken?: VerifiedToken; accessTokenRaw?: string };

/** The verified access token of the request (set by AccessTokenGuard). */
export const CurrentToken = createParamDecorator((_data: unknown, context: ExecutionContext): VerifiedToken | undefined => {
  return context.switchToHttp().getRequest<RequestWithToken>().accessToken;
});
