import { SetMetadata } from '@nestjs/common';

export const API_KEY_IN_QUERY = 'sso:api-key-in-query';

/**
 * On a route that `@AllowApiKey()`, the key and the application id may also come as query
 * parameters (`?x-algolia-api-key=…&x-algolia-application-id=…`), as Algolia's browser clients
 * send them so that a search needs no CORS preflight. Keys only: an access token is never read
 * from a URL. Headers win when both are sent.
 */
export const AcceptApiKeyInQuery = (): MethodDecorator & ClassDecorator => SetMetadata(API_KEY_IN_QUERY, true);
