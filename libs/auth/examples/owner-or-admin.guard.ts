import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { principalOf } from '@sso/auth';

/**
 * Example of a guard of a service's own, added with `@UseGuards(OwnerOrAdminGuard)`: it runs
 * after the library's global guards, so the principal is already verified, unrevoked and
 * holds the route's scopes. A user may reach only `/:owner` routes of its own subject; a
 * service (client credentials) or a holder of `billing:admin` may reach any.
 */
@Injectable()
export class OwnerOrAdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const principal = principalOf(context);
    const owner = context.switchToHttp().getRequest<{ params: Record<string, string> }>().params.owner;
    if (principal && (principal.kind === 'service' || principal.scopes.includes('billing:admin') || principal.subject === owner)) return true;
    throw new ForbiddenException({ message: 'only the owner or an administrator may do this', code: 'not_owner', error: 'Forbidden' });
  }
}
