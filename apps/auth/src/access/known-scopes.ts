import { BadRequestException } from '@nestjs/common';

/** The scopes that name an audience the ecosystem does not have. */
export function unknownScopes(scopes: readonly string[], audiences: readonly string[]): string[] {
  return scopes.filter((scope) => !audiences.includes(scope.slice(0, scope.indexOf(':'))));
}

/** Refuses scopes that name an audience the ecosystem does not have. */
export function assertKnownScopes(scopes: readonly string[] | undefined, audiences: readonly string[]): void {
  const unknown = unknownScopes(scopes ?? [], audiences);
  if (unknown.length > 0) throw new BadRequestException({ message: unknown.map((scope) => `scope ${scope} names an unknown audience`), code: 'unknown_scope' });
}
