import { GRANT_TYPE_TOKEN_EXCHANGE } from '../tokens/grants.js';

/**
 * How a client authenticates at the token endpoint (RFC 7591 §2): with its secret (Basic or in
 * the form; a confidential client may use either), or not at all (`none`: a public client, a
 * browser or native app, which proves itself with PKCE instead).
 */
export const TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;
export type TokenEndpointAuthMethod = (typeof TOKEN_ENDPOINT_AUTH_METHODS)[number];

export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials', GRANT_TYPE_TOKEN_EXCHANGE] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/** What a client registered before these fields existed may do, and what a service client gets when it names none. */
export const SERVICE_CLIENT_GRANT_TYPES: GrantType[] = ['client_credentials', GRANT_TYPE_TOKEN_EXCHANGE];
const PUBLIC_CLIENT_GRANT_TYPES: GrantType[] = ['authorization_code', 'refresh_token'];

const MAX_URIS = 20;
const MAX_URI_LENGTH = 2_000;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** RFC 7591's names for the metadata, as the admin API and AUTH_CLIENTS take them. */
export interface ClientMetadataInput {
  token_endpoint_auth_method?: TokenEndpointAuthMethod;
  grant_types?: GrantType[];
  redirect_uris?: string[];
  post_logout_redirect_uris?: string[];
}

export interface ClientMetadata {
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  grantTypes: GrantType[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

/** RFC 7591 §3.2.2's error codes, with every reason. */
export class ClientMetadataError extends Error {
  constructor(
    readonly code: 'invalid_redirect_uri' | 'invalid_client_metadata',
    readonly reasons: string[],
  ) {
    super(reasons.join('; '));
  }
}

/**
 * The metadata of a client as stored, with its defaults, or a ClientMetadataError naming every
 * problem. A public client (`none`) only takes part in the authorization code flow; the code
 * flow needs redirect URIs, and only the code flow may have them. Redirect URIs follow RFC 9700
 * §2.1 and RFC 8252 §7.3: absolute, https (or http on a loopback address), no fragment, no user
 * information, no wildcard; they are compared exactly, so they are stored exactly as given.
 */
export function clientMetadataOf(input: ClientMetadataInput): ClientMetadata {
  const tokenEndpointAuthMethod = input.token_endpoint_auth_method ?? 'client_secret_basic';
  const isPublic = tokenEndpointAuthMethod === 'none';
  const grantTypes = [...new Set(input.grant_types ?? (isPublic ? PUBLIC_CLIENT_GRANT_TYPES : SERVICE_CLIENT_GRANT_TYPES))];
  const redirectUris = input.redirect_uris ?? [];
  const postLogoutRedirectUris = input.post_logout_redirect_uris ?? [];

  const uriProblems = [...uriListProblems('redirect_uris', redirectUris), ...uriListProblems('post_logout_redirect_uris', postLogoutRedirectUris)];
  if (uriProblems.length > 0) throw new ClientMetadataError('invalid_redirect_uri', uriProblems);

  const problems: string[] = [];
  if (grantTypes.length === 0) problems.push('grant_types must name at least one grant');
  const usesCode = grantTypes.includes('authorization_code');
  if (isPublic) {
    const unfit = grantTypes.filter((grant) => !PUBLIC_CLIENT_GRANT_TYPES.includes(grant));
    if (unfit.length > 0) problems.push(`a public client (token_endpoint_auth_method none) cannot use ${unfit.join(', ')}: it has no secret`);
  }
  if (grantTypes.includes('refresh_token') && !usesCode) problems.push('refresh_token comes with authorization_code');
  if (usesCode && redirectUris.length === 0) problems.push('authorization_code needs at least one redirect_uri');
  if (!usesCode && redirectUris.length > 0) problems.push('redirect_uris are only for authorization_code');
  if (!usesCode && postLogoutRedirectUris.length > 0) problems.push('post_logout_redirect_uris are only for authorization_code');
  if (problems.length > 0) throw new ClientMetadataError('invalid_client_metadata', problems);

  return { tokenEndpointAuthMethod, grantTypes, redirectUris, postLogoutRedirectUris };
}

function uriListProblems(field: string, uris: readonly string[]): string[] {
  const problems: string[] = [];
  if (uris.length > MAX_URIS) problems.push(`${field} holds more than ${MAX_URIS} URIs`);
  if (new Set(uris).size !== uris.length) problems.push(`${field} names a URI twice`);
  for (const uri of uris) {
    const problem = redirectUriProblem(uri);
    if (problem) problems.push(`${field}: ${uri.slice(0, 100)} ${problem}`);
  }
  return problems;
}

function redirectUriProblem(uri: string): string | undefined {
  if (uri.length > MAX_URI_LENGTH) return `is longer than ${MAX_URI_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not an absolute URI';
  }
  if (uri.includes('#')) return 'has a fragment';
  if (url.username || url.password) return 'holds user information';
  if (uri.includes('*')) return 'has a wildcard: redirect URIs are compared exactly';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return 'must use https (or http on localhost, 127.0.0.1 or [::1])';
}
