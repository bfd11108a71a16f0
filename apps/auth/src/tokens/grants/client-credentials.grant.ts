import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AuditService } from '../../audit/audit.service.js';
import { ClientAuthenticator } from '../../clients/client-authenticator.js';
import { ClientsService } from '../../clients/clients.service.js';
import { AccessTokenIssuer } from '../access-token.issuer.js';
import type { Grant } from '../grants.js';
import { OAuthError } from '../oauth-error.js';
import { grantedScopes } from '../scope-request.js';
import { tokenResponse, type TokenResponse } from '../token-response.js';

/** `grant_type=client_credentials`: a service's own token, limited to the client's scopes. */
@Injectable()
export class ClientCredentialsGrant implements Grant {
  readonly type = 'client_credentials' as const;

  constructor(
    private readonly clients: ClientAuthenticator,
    private readonly registered: ClientsService,
    private readonly issuer: AccessTokenIssuer,
    private readonly audit: AuditService,
  ) {}

  async handle(params: Record<string, unknown>, request: Request): Promise<TokenResponse> {
    const checkedSince = Date.now();
    const client = await this.clients.require(request, params, this.type);
    const scopes = grantedScopes(params.scope, client.scopes);
    if (scopes.length === 0) throw new OAuthError('invalid_scope', 'the client holds no scope');
    const issued = await this.issuer.issue({ sub: client.id, clientId: client.id, scopes, checkedSince, recheck: () => this.assertStillRegistered(client.id) });
    await this.audit.record({ type: 'token.issued', subject: client.id, actor: client.id, details: { grant: this.type, jti: issued.claims.jti, scope: issued.claims.scope } });
    return tokenResponse(issued);
  }

  private async assertStillRegistered(clientId: string): Promise<void> {
    if (!(await this.registered.exists(clientId))) throw new OAuthError('invalid_client', 'client authentication failed', 401);
  }
}
