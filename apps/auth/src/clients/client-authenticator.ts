import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { OAuthError } from '../tokens/oauth-error.js';
import type { Client } from './client.entity.js';
import type { GrantType } from './client-metadata.js';
import { allowsGrant, ClientsService } from './clients.service.js';

/**
 * Client authentication at the OAuth endpoints: `client_secret_basic` (RFC 6749 §2.3.1, both
 * parts form-urlencoded) or `client_secret_post`, never both at once.
 */
@Injectable()
export class ClientAuthenticator {
  constructor(private readonly clients: ClientsService) {}

  /** The authenticated client, undefined when none was presented; throws invalid_client on a bad one. */
  async authenticate(req: Request, body: Record<string, unknown>): Promise<Client | undefined> {
    const basic = parseBasic(req.headers.authorization);
    const post = typeof body.client_secret === 'string' ? { id: body.client_id, secret: body.client_secret } : undefined;
    if (basic && post) throw new OAuthError('invalid_request', 'use one client authentication method, not two');
    if (!basic && !post) return undefined;
    const { id, secret } = (basic ?? post)!;
    if (typeof id !== 'string' || id.length === 0 || id.length > 64 || secret.length > 256) throw new OAuthError('invalid_client', 'client authentication failed', 401, Boolean(basic));
    const client = await this.clients.authenticate(id, secret);
    if (!client) throw new OAuthError('invalid_client', 'client authentication failed', 401, Boolean(basic));
    return client;
  }

  /**
   * The client making the request: one that authenticated, or a public client (registered with
   * `token_endpoint_auth_method: none`) naming itself by `client_id`; undefined when none is
   * named. A confidential client naming itself without its secret is refused.
   */
  async identify(req: Request, body: Record<string, unknown>): Promise<Client | undefined> {
    const authenticated = await this.authenticate(req, body);
    if (authenticated) return authenticated;
    const named = body.client_id;
    if (named === undefined) return undefined;
    const client = typeof named === 'string' && named.length <= 64 ? await this.clients.find(named) : undefined;
    if (!client || client.tokenEndpointAuthMethod !== 'none') throw new OAuthError('invalid_client', 'client authentication is required for a confidential client', 401);
    return client;
  }

  /** The authenticated client; with `grant`, one registered for that grant (RFC 6749 §5.2's unauthorized_client otherwise). */
  async require(req: Request, body: Record<string, unknown>, grant?: GrantType): Promise<Client> {
    const client = await this.authenticate(req, body);
    if (!client) throw new OAuthError('invalid_client', 'client authentication is required (client_secret_basic or client_secret_post)', 401);
    if (grant && !allowsGrant(client, grant)) throw new OAuthError('unauthorized_client', `the client is not registered for ${grant}`);
    return client;
  }
}

function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) throw new OAuthError('invalid_client', 'malformed Basic credentials', 401, true);
  try {
    return { id: decodeURIComponent(decoded.slice(0, separator).replaceAll('+', ' ')), secret: decodeURIComponent(decoded.slice(separator + 1).replaceAll('+', ' ')) };
  } catch {
    throw new OAuthError('invalid_client', 'malformed Basic credentials', 401, true);
  }
}
