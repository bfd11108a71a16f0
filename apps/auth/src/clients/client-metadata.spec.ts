import { describe, expect, it } from '@jest/globals';
import { ClientMetadataError, clientMetadataOf, type ClientMetadataInput } from './client-metadata.js';

const refusal = (input: ClientMetadataInput) => {
  try {
    clientMetadataOf(input);
  } catch (error) {
    if (error instanceof ClientMetadataError) return { code: error.code, reasons: error.reasons };
    throw error;
  }
  return undefined;
};

describe('clientMetadataOf', () => {
  it('gives a service client what clients could always do, and a public client the code flow', () => {
    expect(clientMetadataOf({})).toEqual({
      tokenEndpointAuthMethod: 'client_secret_basic',
      grantTypes: ['client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange'],
      redirectUris: [],
      postLogoutRedirectUris: [],
    });
    expect(clientMetadataOf({ token_endpoint_auth_method: 'none', redirect_uris: ['http://127.0.0.1:8080/callback'] })).toEqual({
      tokenEndpointAuthMethod: 'none',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['http://127.0.0.1:8080/callback'],
      postLogoutRedirectUris: [],
    });
  });

  it('keeps redirect URIs exactly as given, for exact comparison', () => {
    const uris = ['https://console.example.com/callback?from=sso', 'http://localhost:3000/cb', 'http://[::1]:4000/cb'];
    expect(clientMetadataOf({ grant_types: ['authorization_code'], redirect_uris: uris, post_logout_redirect_uris: ['https://console.example.com'] })).toMatchObject({ redirectUris: uris, postLogoutRedirectUris: ['https://console.example.com'] });
  });

  it.each([
    ['a relative URI', '/callback', /is not an absolute URI/],
    ['a fragment', 'https://app.example.com/cb#done', /has a fragment/],
    ['user information', 'https://user:pass@app.example.com/cb', /holds user information/],
    ['a wildcard', 'https://*.example.com/cb', /has a wildcard/],
    ['plain http off the loopback', 'http://app.example.com/cb', /must use https/],
    ['another scheme', 'javascript:alert(1)', /must use https/],
  ])('refuses a redirect URI with %s as invalid_redirect_uri', (_, uri, reason) => {
    expect(refusal({ grant_types: ['authorization_code'], redirect_uris: [uri] })).toEqual({ code: 'invalid_redirect_uri', reasons: [expect.stringMatching(reason)] });
    expect(refusal({ grant_types: ['authorization_code'], redirect_uris: ['https://ok.example.com/cb'], post_logout_redirect_uris: [uri] })?.code).toBe('invalid_redirect_uri');
  });

  it('refuses grants and URIs that do not go together, naming each reason', () => {
    expect(refusal({ token_endpoint_auth_method: 'none', grant_types: ['client_credentials', 'authorization_code'], redirect_uris: ['https://app.example.com/cb'] })).toEqual({
      code: 'invalid_client_metadata',
      reasons: ['a public client (token_endpoint_auth_method none) cannot use client_credentials: it has no secret'],
    });
    expect(refusal({ grant_types: ['authorization_code'] })?.reasons).toEqual(['authorization_code needs at least one redirect_uri']);
    expect(refusal({ redirect_uris: ['https://app.example.com/cb'], post_logout_redirect_uris: ['https://app.example.com/'] })?.reasons).toEqual([
      'redirect_uris are only for authorization_code',
      'post_logout_redirect_uris are only for authorization_code',
    ]);
    expect(refusal({ grant_types: ['client_credentials', 'refresh_token'] })?.reasons).toEqual(['refresh_token comes with authorization_code']);
    expect(refusal({ grant_types: [] })?.reasons).toEqual(['grant_types must name at least one grant']);
    const twice = refusal({ grant_types: ['authorization_code'], redirect_uris: ['https://a.example.com/cb', 'https://a.example.com/cb'] });
    expect(twice).toEqual({ code: 'invalid_redirect_uri', reasons: ['redirect_uris names a URI twice'] });
  });
});
