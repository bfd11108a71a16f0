import { Injectable } from '@nestjs/common';
import { API_KEY_EXCHANGE_CLIENT_ID } from '@sso/contracts';
import type { Request } from 'express';
import { AccessTokenVerifier, InvalidTokenError, type VerifiedToken } from '../../access/access-token.verifier.js';
import { ApiKeySubjects } from '../../api-keys/api-key-subjects.js';
import { AuditService } from '../../audit/audit.service.js';
import { ClientAuthenticator } from '../../clients/client-authenticator.js';
import { ClientsService } from '../../clients/clients.service.js';
import { AccessTokenIssuer } from '../access-token.issuer.js';
import { GRANT_TYPE_TOKEN_EXCHANGE, type Grant, stringParam, TOKEN_TYPE_ACCESS_TOKEN, TOKEN_TYPE_API_KEY } from '../grants.js';
import { OAuthError } from '../oauth-error.js';
import { grantedScopes } from '../scope-request.js';
import { tokenResponse, type TokenResponse } from '../token-response.js';

/** What a subject token stands for, once its type's resolver has checked it. */
export interface ExchangeSubject {
  sub: string;
  scopes: string[];
  sid?: string;
  act?: VerifiedToken['act'];
  /** The new token must not outlive the subject token. */
  notAfter?: number;
}

/**
 * RFC 8693 token exchange. Access tokens (on-behalf-of calls between services) need an
 * authenticated client, the actor. An API key needs none: the key is the credential, and the
 * token it buys has the key's id as subject (client `sso-api-key`), so it acts on nothing but
 * the key's own data: the migration path from keys to tokens.
 */
@Injectable()
export class TokenExchangeGrant implements Grant {
  readonly type = GRANT_TYPE_TOKEN_EXCHANGE;
  private readonly resolvers = new Map<string, (token: string) => Promise<ExchangeSubject>>();

  constructor(
    private readonly clients: ClientAuthenticator,
    private readonly registered: ClientsService,
    private readonly verifier: AccessTokenVerifier,
    private readonly issuer: AccessTokenIssuer,
    private readonly audit: AuditService,
    private readonly apiKeys: ApiKeySubjects,
  ) {
    this.resolvers.set(TOKEN_TYPE_ACCESS_TOKEN, (token) => this.accessTokenSubject(token));
  }

  async handle(params: Record<string, unknown>, request: Request): Promise<TokenResponse> {
    const checkedSince = Date.now();
    if (stringParam(params, 'subject_token_type') === TOKEN_TYPE_API_KEY) return this.exchangeApiKey(params, request, checkedSince);
    const client = await this.clients.require(request, params, this.type);
    const subjectToken = stringParam(params, 'subject_token', true);
    const subjectTokenType = stringParam(params, 'subject_token_type', true);
    refuseUnsupportedParameters(params);
    const resolve = this.resolvers.get(subjectTokenType);
    if (!resolve) throw new OAuthError('invalid_request', `subject_token_type ${subjectTokenType} is not supported`);
    const subject = await resolve(subjectToken);

    // The new token can do no more than the subject may and the client may, for one audience.
    const audience = stringParam(params, 'audience');
    const allowed = subject.scopes.filter((scope) => client.scopes.includes(scope) && (!audience || scope.startsWith(`${audience}:`)));
    const scopes = grantedScopes(params.scope, allowed);
    if (scopes.length === 0) throw new OAuthError(audience ? 'invalid_target' : 'invalid_scope', 'nothing the subject and the client both hold can be granted');
    const act = { sub: client.id, ...(subject.act ? { act: subject.act } : {}) };
    const issued = await this.issuer.issue({
      sub: subject.sub,
      clientId: client.id,
      scopes,
      sid: subject.sid,
      act,
      notAfter: subject.notAfter,
      checkedSince,
      // The subject token or the client may have been revoked while this request was checked.
      recheck: async () => {
        await resolve(subjectToken);
        if (!(await this.registered.exists(client.id))) throw new OAuthError('invalid_client', 'client authentication failed', 401);
      },
    });
    await this.audit.record({ type: 'token.issued', subject: subject.sub, actor: client.id, details: { grant: 'token-exchange', jti: issued.claims.jti, scope: issued.claims.scope } });
    return tokenResponse(issued, { issued_token_type: TOKEN_TYPE_ACCESS_TOKEN });
  }

  private async exchangeApiKey(params: Record<string, unknown>, request: Request, checkedSince: number): Promise<TokenResponse> {
    const key = stringParam(params, 'subject_token', true);
    refuseUnsupportedParameters(params);
    const subject = await this.apiKeys.resolve(key, request);
    const audience = stringParam(params, 'audience');
    const scopes = grantedScopes(params.scope, subject.scopes.filter((scope) => !audience || scope.startsWith(`${audience}:`)));
    if (scopes.length === 0) throw new OAuthError(audience ? 'invalid_target' : 'invalid_scope', 'the API key allows nothing that can be granted');
    const issued = await this.issuer.issue({
      sub: subject.keyId,
      clientId: API_KEY_EXCHANGE_CLIENT_ID,
      scopes,
      notAfter: subject.notAfter,
      checkedSince,
      recheck: async () => void (await this.apiKeys.resolve(key, request)),
    });
    await this.audit.record({ type: 'token.issued', subject: subject.keyId, actor: API_KEY_EXCHANGE_CLIENT_ID, details: { grant: 'token-exchange', subjectTokenType: TOKEN_TYPE_API_KEY, jti: issued.claims.jti, scope: issued.claims.scope } });
    return tokenResponse(issued, { issued_token_type: TOKEN_TYPE_ACCESS_TOKEN });
  }

  private async accessTokenSubject(token: string): Promise<ExchangeSubject> {
    try {
      const claims = await this.verifier.verify(token);
      return { sub: claims.sub, scopes: claims.scope.split(' ').filter(Boolean), sid: claims.sid, act: claims.act, notAfter: claims.exp };
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new OAuthError('invalid_grant', `subject_token: ${error.message}`);
      throw error;
    }
  }
}

function refuseUnsupportedParameters(params: Record<string, unknown>): void {
  const requestedType = stringParam(params, 'requested_token_type');
  if (requestedType && requestedType !== TOKEN_TYPE_ACCESS_TOKEN) throw new OAuthError('invalid_request', `requested_token_type ${requestedType} is not supported`);
  if (params.actor_token !== undefined) throw new OAuthError('invalid_request', 'actor_token is not supported: the authenticated client is the actor');
}
