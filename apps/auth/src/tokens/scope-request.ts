import { parseScope } from '@sso/contracts';
import { OAuthError } from './oauth-error.js';

/**
 * The scopes to grant: all of `allowed` when none are asked for, else exactly those asked for,
 * each of which must be allowed (RFC 6749 §3.3; a partial grant would surprise callers).
 */
export function grantedScopes(requested: unknown, allowed: readonly string[]): string[] {
  if (requested === undefined || requested === '') return [...allowed];
  if (typeof requested !== 'string' || requested.length > 2_000) throw new OAuthError('invalid_request', 'scope must be a space-separated string');
  const asked = parseScope(requested);
  const refused = asked.filter((scope) => !allowed.includes(scope));
  if (refused.length > 0) throw new OAuthError('invalid_scope', `not granted: ${refused.join(' ')}`);
  return asked;
}

export const allScopes = (audiences: readonly string[]) => audiences.flatMap((audience) => ['read', 'write', 'admin'].map((action) => `${audience}:${action}`));
