import { propagationHeaders } from '@sso/contracts';
import type { ServiceTokenClient } from './service-token-client.js';

export interface ServiceRequestInit extends RequestInit {
  /**
   * Whose token to send: this service's own (default), or an access token obtained
   * elsewhere, e.g. by `ServiceTokenClient.exchange()` for an on-behalf-of call.
   */
  accessToken?: string;
}

/**
 * fetch() for calls to other services of the ecosystem: adds the bearer token and the
 * request's x-request-id. With the service's own token, a 401 is retried once with a new
 * token (the callee may have seen a revocation or a key rotation before us).
 */
export class ServiceHttpClient {
  constructor(private readonly tokens: ServiceTokenClient) {}

  async fetch(url: string | URL, init: ServiceRequestInit = {}): Promise<Response> {
    const { accessToken, ...rest } = init;
    const send = async (token: string) => {
      const headers = new Headers(rest.headers);
      for (const [name, value] of Object.entries(propagationHeaders())) if (!headers.has(name)) headers.set(name, value);
      headers.set('authorization', `Bearer ${token}`);
      return fetch(url, { ...rest, headers });
    };
    if (accessToken) return send(accessToken);
    const response = await send(await this.tokens.accessToken());
    if (response.status !== 401 || (rest.body !== undefined && rest.body !== null && typeof rest.body !== 'string')) return response;
    this.tokens.invalidate();
    return send(await this.tokens.accessToken());
  }

  /** Calls `url` on behalf of the subject of `subjectToken`, with a token exchanged for `audience`. */
  async onBehalfOf(subjectToken: string, audience: string, scope: string[], url: string | URL, init: RequestInit = {}): Promise<Response> {
    const exchanged = await this.tokens.exchange({ subjectToken, audience, scope });
    return this.fetch(url, { ...init, accessToken: exchanged.access_token });
  }
}
