import { SetMetadata } from '@nestjs/common';
import { isScope } from '@sso/contracts';

export const REQUIRED_SCOPES = 'sso:scopes';

/**
 * The scopes a route needs, all of them. On a controller and on a method, both sets apply.
 * A malformed scope fails at start, not at the first request.
 */
export const Scopes = (...scopes: string[]): MethodDecorator & ClassDecorator => {
  const invalid = scopes.filter((scope) => !isScope(scope));
  if (scopes.length === 0 || invalid.length > 0) {
    throw new Error(`@Scopes() needs one or more <audience>:<read|write|admin> scopes; got ${JSON.stringify(scopes)}`);
  }
  return SetMetadata(REQUIRED_SCOPES, scopes);
};
