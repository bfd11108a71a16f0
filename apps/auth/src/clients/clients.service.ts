import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, NotFoundException, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { lockForTransaction, SERVICE_CONFIG } from '@sso/platform';
import { DataSource, type Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthConfig } from '../config.js';
import { Client } from './client.entity.js';
import type { ClientMetadata, GrantType, TokenEndpointAuthMethod } from './client-metadata.js';
import type { DeclaredClient } from './declared-clients.js';
import { matchesHash, sha256Hex } from './secret-hash.js';

export interface ClientView {
  client_id: string;
  name: string;
  scopes: string[];
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  grant_types: GrantType[];
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  createdAt: Date;
}

export function clientView(client: Client): ClientView {
  return {
    client_id: client.id,
    name: client.name,
    scopes: client.scopes,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    grant_types: client.grantTypes,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    createdAt: client.createdAt,
  };
}

/** Whether the client is registered for this grant (else RFC 6749 §5.2's unauthorized_client). */
export function allowsGrant(client: Client, grantType: GrantType): boolean {
  return client.grantTypes.includes(grantType);
}

@Injectable()
export class ClientsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Clients');

  constructor(
    @InjectRepository(Client) private readonly clients: Repository<Client>,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(SERVICE_CONFIG) private readonly config: AuthConfig,
  ) {}

  /** The declared clients (AUTH_CLIENTS) exist as declared before the first request. */
  async onApplicationBootstrap(): Promise<void> {
    for (const declared of this.config.AUTH_CLIENTS) await this.provision(declared);
  }

  /**
   * Creates a declared client, or brings it back to its declaration (name, scopes, secret): the
   * declaration is the truth, so changing a secret in the deployment's environment rotates it.
   * Replicas starting at once take turns; the second finds nothing to do.
   */
  private async provision(declared: DeclaredClient): Promise<void> {
    const change = await this.dataSource.transaction(async (manager) => {
      await lockForTransaction(manager, 'sso:declared-clients');
      const clients = manager.getRepository(Client);
      const existing = await clients.findOneBy({ id: declared.id });
      if (!existing) {
        await clients.insert({ ...declared, createdAt: new Date() });
        return 'client.created' as const;
      }
      const { id: _, ...wanted } = declared;
      if (sameDeclaration(existing, wanted)) return undefined;
      await clients.update({ id: declared.id }, wanted);
      return 'client.updated' as const;
    });
    if (!change) return;
    await this.audit.record({ type: change, subject: declared.id, actor: 'declaration', details: auditDetails(declared) });
    this.logger.log(`${change === 'client.created' ? 'created' : 'updated'} the declared client ${declared.id} (${declared.scopes.join(' ')})`);
  }

  /** Registers a client; a confidential client's secret is returned here and never again. */
  async create(name: string, scopes: string[], metadata: ClientMetadata): Promise<{ client: Client; secret?: string }> {
    const secret = metadata.tokenEndpointAuthMethod === 'none' ? undefined : randomBytes(32).toString('base64url');
    const id = `client_${randomBytes(12).toString('base64url')}`;
    const client = this.clients.create({ id, name, secretHash: secret === undefined ? null : sha256Hex(secret), scopes, ...metadata, createdAt: new Date() });
    await this.clients.save(client);
    return { client, secret };
  }

  list(offset: number, limit: number): Promise<[Client[], number]> {
    return this.clients.findAndCount({ order: { createdAt: 'ASC', id: 'ASC' }, skip: offset, take: limit });
  }

  async delete(id: string): Promise<void> {
    const { affected } = await this.clients.delete({ id });
    if (!affected) throw new NotFoundException({ message: `client ${id} does not exist`, code: 'client_not_found' });
  }

  find(id: string): Promise<Client | null> {
    return this.clients.findOneBy({ id });
  }

  exists(id: string): Promise<boolean> {
    return this.clients.existsBy({ id });
  }

  /** The client when the secret is right; undefined for an unknown client, a public one (it has no secret) or a wrong secret alike. */
  async authenticate(id: string, secret: string): Promise<Client | undefined> {
    const client = await this.clients.findOneBy({ id });
    const matches = matchesHash(secret, client?.secretHash ?? sha256Hex(''));
    return client?.secretHash && matches ? client : undefined;
  }
}

function sameDeclaration(existing: Client, wanted: Omit<DeclaredClient, 'id'>): boolean {
  const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join(' ') === [...b].sort().join(' ');
  return (
    existing.name === wanted.name &&
    existing.secretHash === wanted.secretHash &&
    existing.tokenEndpointAuthMethod === wanted.tokenEndpointAuthMethod &&
    sameSet(existing.scopes, wanted.scopes) &&
    sameSet(existing.grantTypes, wanted.grantTypes) &&
    JSON.stringify(existing.redirectUris) === JSON.stringify(wanted.redirectUris) &&
    JSON.stringify(existing.postLogoutRedirectUris) === JSON.stringify(wanted.postLogoutRedirectUris)
  );
}

/** What the audit trail keeps of a client: everything but its secret. */
export function auditDetails(client: Omit<Client, 'id' | 'secretHash' | 'createdAt'>): Record<string, unknown> {
  const { name, scopes, tokenEndpointAuthMethod, grantTypes, redirectUris, postLogoutRedirectUris } = client;
  return { name, scopes, tokenEndpointAuthMethod, grantTypes, redirectUris, postLogoutRedirectUris };
}
