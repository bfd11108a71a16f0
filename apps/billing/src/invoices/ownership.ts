import { ForbiddenException } from '@nestjs/common';
import type { Principal } from '@sso/auth';

export const BILLING_ADMIN = 'billing:admin';

/** A service (client credentials) or a billing administrator acts on any subject; a user only on itself. */
export function actsOnAnySubject(principal: Principal): boolean {
  return principal.kind === 'service' || principal.scopes.includes(BILLING_ADMIN);
}

/** The subject a request is about: `requested` if the caller may act on it, the caller by default. */
export function subjectFor(principal: Principal, requested?: string): string {
  if (requested === undefined || requested === principal.subject) return principal.subject;
  if (actsOnAnySubject(principal)) return requested;
  throw new ForbiddenException({ message: 'a user may bill only itself', code: 'not_owner', error: 'Forbidden' });
}
