import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '../principal.js';

/** Where the global guard puts the verified principal. */
export const PRINCIPAL = 'principal';

export type RequestWithPrincipal = { [PRINCIPAL]?: Principal };

/** The principal of the request; undefined only on a `@Public()` route. */
export function principalOf(context: ExecutionContext): Principal | undefined {
  return context.switchToHttp().getRequest<RequestWithPrincipal>()[PRINCIPAL];
}

/** Injects the verified `Principal` into a route handler parameter. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext) => principalOf(context));
