import { ForbiddenException } from '@nestjs/common';
import type { Principal } from './principal.js';

/**
 * The resource services' rule (CONTRACT.md, "Resource services"): a user acts only on itself;
 * a service (client credentials) or a holder of the service's admin scope acts on any subject.
 */
export function actsOnAnySubject(principal: Principal, adminScope: string): boolean {
  return principal.kind === 'service' || principal.scopes.includes(adminScope);
}

export function notOwner(subject: string, adminScope: string): ForbiddenException {
  return new ForbiddenException({ message: `only the owner, a service or a holder of ${adminScope} may act on subject ${subject}`, code: 'not_owner', error: 'Forbidden' });
}

/** The subject a request addresses: the one asked for, else the caller; 403 `not_owner` when the caller may not act on it. */
export function subjectFor(principal: Principal, requested: string | undefined, adminScope: string): string {
  const subject = requested ?? principal.subject;
  if (subject !== principal.subject && !actsOnAnySubject(principal, adminScope)) throw notOwner(subject, adminScope);
  return subject;
}
