import type { Request } from 'express';
import { OAuthError } from './oauth-error.js';
import type { TokenResponse } from './token-response.js';

/** One `grant_type` of the token endpoint. */
export interface Grant {
  readonly type: string;
  handle(params: Record<string, unknown>, request: Request): Promise<TokenResponse>;
}

export const TOKEN_TYPE_ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
/** A legacy API key as the subject of a token exchange (CONTRACT.md): the key itself is the credential. */
export const TOKEN_TYPE_API_KEY = 'urn:sso:token-type:api-key';
export const GRANT_TYPE_TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

export function stringParam(params: Record<string, unknown>, name: string, required: true): string;
export function stringParam(params: Record<string, unknown>, name: string, required?: false): string | undefined;
export function stringParam(params: Record<string, unknown>, name: string, required = false): string | undefined {
  const value = params[name];
  if (value === undefined || value === '') {
    if (required) throw new OAuthError('invalid_request', `${name} is required`);
    return undefined;
  }
  if (typeof value !== 'string' || value.length > 8_192) throw new OAuthError('invalid_request', `${name} must be a string`);
  return value;
}
