import { isScope } from '@sso/contracts';
import type { Client } from '../clients/client.entity.js';

/** OpenID Connect's scopes; the others name the services' scopes. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);
const CODE_CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/;
const MAX_PARAMETER = 2_000;

/** A request the authorization endpoint may answer with a code once the user is known. */
export interface AuthorizationRequest {
  client: Client;
  redirectUri: string;
  state?: string;
  nonce?: string;
  codeChallenge: string;
  openid: boolean;
  /** `offline_access` asked for by a client registered for refresh tokens: a refresh token comes with the access token. */
  offlineAccess: boolean;
  /** The services' scopes asked for, before narrowing to what the user holds. */
  scopes: string[];
  prompt?: 'none' | 'login';
  maxAgeSeconds?: number;
}

/** Refused before the redirect URI is known to be the client's: shown to the user, never redirected (RFC 6749 §4.1.2.1). */
export class AuthorizationPageError extends Error {}

/** Refused after it: sent back to the client's redirect URI with `error` and `state`. */
export class AuthorizationRedirectError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly redirectUri: string,
    readonly state: string | undefined,
  ) {
    super(description);
  }
}

/**
 * Checks an authorization request (RFC 6749 §4.1.1, RFC 7636, OpenID Connect Core §3.1.2.1, RFC
 * 9700): the client and its redirect URI first, compared exactly; then `response_type=code`,
 * PKCE with S256 for every client, the scopes, `prompt` and `max_age`.
 */
export async function authorizationRequestOf(query: Record<string, unknown>, findClient: (id: string) => Promise<Client | null | undefined>): Promise<AuthorizationRequest> {
  const param = (name: string) => {
    const value = query[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string' || value.length > MAX_PARAMETER) throw new AuthorizationPageError(`${name} must be given once, as text`);
    return value;
  };
  const clientId = param('client_id');
  if (!clientId) throw new AuthorizationPageError('client_id is missing');
  const client = await findClient(clientId);
  if (!client || !client.grantTypes.includes('authorization_code')) throw new AuthorizationPageError('the application is not registered to sign users in here');
  const redirectUri = param('redirect_uri');
  if (!redirectUri || !client.redirectUris.includes(redirectUri)) throw new AuthorizationPageError('redirect_uri is missing or not one the application registered');

  const state = param('state');
  const refuse = (error: string, description: string) => new AuthorizationRedirectError(error, description, redirectUri, state);
  let nonce: string | undefined;
  let scope: string | undefined;
  let prompt: string | undefined;
  let maxAge: string | undefined;
  let responseType: string | undefined;
  let challenge: string | undefined;
  let method: string | undefined;
  try {
    [nonce, scope, prompt, maxAge, responseType, challenge, method] = ['nonce', 'scope', 'prompt', 'max_age', 'response_type', 'code_challenge', 'code_challenge_method'].map(param);
  } catch (error) {
    throw refuse('invalid_request', (error as Error).message);
  }
  if (query.request !== undefined || query.request_uri !== undefined) throw refuse('request_not_supported', 'request objects are not supported');
  if (responseType !== 'code') throw refuse('unsupported_response_type', 'response_type must be code: the implicit and hybrid flows are not supported');
  if (!challenge || !CODE_CHALLENGE.test(challenge)) throw refuse('invalid_request', 'code_challenge is required (PKCE, RFC 7636): 43 to 128 characters');
  if (method !== 'S256') throw refuse('invalid_request', 'code_challenge_method must be S256');
  if (prompt !== undefined && prompt !== 'none' && prompt !== 'login') throw refuse('invalid_request', 'prompt must be none or login');
  let maxAgeSeconds: number | undefined;
  if (maxAge !== undefined) {
    if (!/^\d{1,9}$/.test(maxAge)) throw refuse('invalid_request', 'max_age must be a number of seconds');
    maxAgeSeconds = Number(maxAge);
  }
  const asked = (scope ?? '').split(' ').filter(Boolean);
  const unknown = asked.filter((entry) => !OIDC_SCOPES.has(entry) && !isScope(entry));
  if (unknown.length > 0) throw refuse('invalid_scope', `unknown scope: ${unknown.join(' ')}`);
  const scopes = asked.filter((entry) => isScope(entry) && client.scopes.includes(entry));
  return { client, redirectUri, state, nonce, codeChallenge: challenge, openid: asked.includes('openid'), offlineAccess: asked.includes('offline_access') && client.grantTypes.includes('refresh_token'), scopes, prompt: prompt as AuthorizationRequest['prompt'], maxAgeSeconds };
}
