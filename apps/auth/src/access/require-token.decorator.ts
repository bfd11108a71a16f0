import { SetMetadata } from '@nestjs/common';

export const REQUIRED_SCOPES = 'auth-service:required-scopes';

/**
 * The route needs a valid access token of this issuer holding every scope listed (none: any
 * valid token, of any audience). Routes without this or `@Public()` are refused.
 */
export const RequireToken = (...scopes: string[]): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_SCOPES, scopes);
