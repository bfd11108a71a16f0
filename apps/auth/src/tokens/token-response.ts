import type { IssuedToken } from './access-token.issuer.js';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  issued_token_type?: string;
  /** OpenID Connect: with the authorization code grant when `openid` was asked for. */
  id_token?: string;
}

export function tokenResponse(issued: IssuedToken, extra: Pick<TokenResponse, 'refresh_token' | 'issued_token_type' | 'id_token'> = {}): TokenResponse {
  return { access_token: issued.token, token_type: 'Bearer', expires_in: issued.expiresIn, scope: issued.claims.scope, ...extra };
}
