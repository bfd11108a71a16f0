import { ForbiddenException } from '@nestjs/common';
import type { Principal } from '@sso/auth';

/** The scope that lets a user token act on any subject of this service (CONTRACT.md, "Resource services"). */
export const ADMIN_SCOPE = 'usage-tracking:admin';

/** A service (client credentials) or an administrator may act on any subject; a user only on itself. */
export function actsForAnySubject(principal: Principal): boolean {
  return principal.kind === 'service' || principal.scopes.includes(ADMIN_SCOPE);
}

export function notOwner(subject: string): ForbiddenException {
  return new ForbiddenException({ message: `only the owner, a service or a holder of ${ADMIN_SCOPE} may act on subject ${subject}`, code: 'not_owner', error: 'Forbidden' });
}

/** The subject a request addresses: the one asked for, else the caller itself; 403 when the caller may not act on it. */
export function subjectFor(principal: Principal, requested?: string): string {
  const subject = requested ?? principal.subject;
  if (subject !== principal.subject && !actsForAnySubject(principal)) throw notOwner(subject);
  return subject;
}
