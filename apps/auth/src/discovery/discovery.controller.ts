import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, SERVICE_CONFIG } from '@sso/platform';
import type { AuthConfig } from '../config.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { GRANT_TYPE_TOKEN_EXCHANGE } from '../tokens/grants.js';
import { allScopes } from '../tokens/scope-request.js';

const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'];

@ApiTags('discovery')
@Public()
@Controller('.well-known')
export class DiscoveryController {
  constructor(
    private readonly keys: SigningKeysService,
    @Inject(SERVICE_CONFIG) private readonly config: AuthConfig,
  ) {}

  /**
   * Verifiers may cache for 5 minutes: a next key is published well before it signs, and a
   * verifier meeting an unknown kid refetches at once.
   */
  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300, stale-while-revalidate=60')
  @ApiOperation({ summary: 'Every public key that may verify a live token, and the next one' })
  async jwks(): Promise<{ keys: Array<Record<string, unknown>> }> {
    return { keys: await this.keys.publishedKeys() };
  }

  @Get('openid-configuration')
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOperation({ summary: 'Authorization server metadata (OpenID Connect Discovery, RFC 8414)' })
  openidConfiguration(): Record<string, unknown> {
    const issuer = this.config.AUTH_ISSUER;
    return {
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/oauth/token`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      introspection_endpoint: `${issuer}/oauth/introspect`,
      userinfo_endpoint: `${issuer}/userinfo`,
      end_session_endpoint: `${issuer}/end-session`,
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials', GRANT_TYPE_TOKEN_EXCHANGE],
      token_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS, 'none'],
      revocation_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS, 'none'],
      introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      scopes_supported: ['openid', 'profile', 'offline_access', ...allScopes(this.config.AUTH_AUDIENCES)],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      code_challenge_methods_supported: ['S256'],
      prompt_values_supported: ['none', 'login'],
      authorization_response_iss_parameter_supported: true,
      claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'sid', 'preferred_username'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [this.config.AUTH_SIGNING_ALGORITHM],
      token_endpoint_auth_signing_alg_values_supported: [this.config.AUTH_SIGNING_ALGORITHM],
    };
  }
}
