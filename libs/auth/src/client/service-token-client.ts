import { TokenEndpointError } from './token-endpoint-error.js';

export interface ServiceTokenClientOptions {
  /** `${issuer}/oauth/token`. */
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  /** Scopes to ask for; all of the client's when omitted. */
  scope?: string[];
  /** Renew this long before `expires_in` runs out; default 30 s. */
  refreshBeforeExpirySeconds?: number;
  /** Bound on one call to the token endpoint; default 5 s. */
  timeoutMs?: number;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
  issued_token_type?: string;
}

export interface TokenExchangeRequest {
  /** The caller's access token (the subject we act for). */
  subjectToken: string;
  /** The service the narrower token is for. */
  audience: string;
  scope?: string[];
}

const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

/**
 * This service's own tokens (client credentials, RFC 6749 §4.4) and on-behalf-of tokens
 * (token exchange, RFC 8693). The service token is cached until shortly before it expires,
 * and however many callers wait, one request to the token endpoint is in flight.
 */
export class ServiceTokenClient {
  private cached?: { token: string; renewAtMs: number };
  private inFlight?: Promise<string>;

  constructor(private readonly options: ServiceTokenClientOptions) {}

  /** A valid access token of this service. */
  accessToken(): Promise<string> {
    if (this.cached && Date.now() < this.cached.renewAtMs) return Promise.resolve(this.cached.token);
    this.inFlight ??= this.fetchServiceToken().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** Forgets the cached token, e.g. after a callee answered 401 with it. */
  invalidate(): void {
    this.cached = undefined;
  }

  /** A token for `audience` carrying the subject of `subjectToken`, with an `act` naming this client. */
  exchange({ subjectToken, audience, scope }: TokenExchangeRequest): Promise<TokenResponse> {
    const form: Record<string, string> = {
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token: subjectToken,
      subject_token_type: ACCESS_TOKEN_TYPE,
      requested_token_type: ACCESS_TOKEN_TYPE,
      audience,
    };
    if (scope?.length) form.scope = scope.join(' ');
    return this.post(form);
  }

  private async fetchServiceToken(): Promise<string> {
    const form: Record<string, string> = { grant_type: 'client_credentials' };
    if (this.options.scope?.length) form.scope = this.options.scope.join(' ');
    const answer = await this.post(form);
    const skew = this.options.refreshBeforeExpirySeconds ?? 30;
    // Renew at the latest halfway through a short-lived token, so it never expires in use.
    const lifetimeMs = Math.max(answer.expires_in - Math.min(skew, answer.expires_in / 2), 0) * 1000;
    this.cached = { token: answer.access_token, renewAtMs: Date.now() + lifetimeMs };
    return answer.access_token;
  }

  private async post(form: Record<string, string>): Promise<TokenResponse> {
    if (!this.options.clientId) throw new TokenEndpointError('no OAuth client configured: set the `client` option of AuthModule');
    // RFC 6749 §2.3.1: id and secret are form-encoded before the Basic encoding.
    const credentials = Buffer.from(`${encodeURIComponent(this.options.clientId)}:${encodeURIComponent(this.options.clientSecret)}`).toString('base64');
    let response: Response;
    try {
      response = await fetch(this.options.tokenEndpoint, {
        method: 'POST',
        headers: { authorization: `Basic ${credentials}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      });
    } catch (error) {
      throw new TokenEndpointError(`token endpoint unreachable: ${(error as Error).message}`);
    }
    const body = (await response.json().catch(() => ({}))) as Partial<TokenResponse> & { error?: string };
    if (!response.ok || typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      throw new TokenEndpointError(`token endpoint refused (${response.status} ${body.error ?? 'no error code'})`, response.status, body.error);
    }
    return body as TokenResponse;
  }
}
