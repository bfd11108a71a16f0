export const SCOPE_ACTIONS = ['read', 'write', 'admin'] as const;
export type ScopeAction = (typeof SCOPE_ACTIONS)[number];

/** `<audience>:<action>`, audience in lower-case words joined by dashes. */
export const SCOPE_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*:(?:read|write|admin)$/;

export function isScope(value: string): boolean {
  return SCOPE_PATTERN.test(value);
}

/** Splits an OAuth `scope` string (RFC 6749 §3.3), dropping duplicates, keeping order. */
export function parseScope(scope: string | undefined): string[] {
  if (!scope) return [];
  return [...new Set(scope.split(' ').filter((part) => part.length > 0))];
}

export function formatScope(scopes: readonly string[]): string {
  return scopes.join(' ');
}

/** The audiences a set of scopes names: a token's `aud` is exactly this set. */
export function audiencesOf(scopes: readonly string[]): string[] {
  return [...new Set(scopes.map((scope) => scope.slice(0, scope.indexOf(':'))))].sort();
}
