/** An error of the token, revocation or introspection endpoints (RFC 6749 §5.2, RFC 7009, RFC 7662). */
export class OAuthError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'invalid_scope' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_target' | 'temporarily_unavailable',
    readonly description: string,
    readonly status = error === 'invalid_client' ? 401 : error === 'temporarily_unavailable' ? 503 : 400,
    /** The client authenticated with HTTP Basic: a 401 then names the Basic scheme (RFC 6749 §5.2). */
    readonly basicAuthUsed = false,
  ) {
    super(description);
  }
}
