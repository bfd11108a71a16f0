import { SCOPE_PATTERN } from '@sso/contracts';
import { jsonSetting } from '@sso/platform';
import { z } from 'zod';
import { ClientMetadataError, clientMetadataOf, GRANT_TYPES, TOKEN_ENDPOINT_AUTH_METHODS, type ClientMetadata } from './client-metadata.js';
import { sha256Hex } from './secret-hash.js';

/** A client the deployment declares (AUTH_CLIENTS) rather than registers through the admin API. */
export interface DeclaredClient extends ClientMetadata {
  id: string;
  name: string;
  scopes: string[];
  /** Null for a public client. */
  secretHash: string | null;
}

const CLIENT_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** One entry of AUTH_CLIENTS, with RFC 7591's names for client metadata. */
const declaredClientSchema = z
  .strictObject({
    client_id: z.string().regex(CLIENT_ID, 'must be 1 to 64 of A-Z a-z 0-9 . _ -'),
    client_name: z.string().min(1).max(100).optional(),
    /** Space-separated, as in RFC 7591 §2. */
    scope: z
      .string()
      .transform((value) => value.split(' ').filter(Boolean))
      .pipe(z.array(z.string().regex(SCOPE_PATTERN, 'each scope must be <audience>:read, :write or :admin')).min(1)),
    /** The secret itself, e.g. from the environment of a compose file: random (stored as an unsalted SHA-256), 32 random bytes in base64url. */
    client_secret: z.string().min(32, 'must be at least 32 characters of random data (e.g. 32 random bytes in base64url)').optional(),
    /** Or only its SHA-256 (hex), so the issuer's configuration holds no secret. */
    client_secret_sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits').optional(),
    token_endpoint_auth_method: z.enum(TOKEN_ENDPOINT_AUTH_METHODS).optional(),
    grant_types: z.array(z.enum(GRANT_TYPES)).max(GRANT_TYPES.length).optional(),
    redirect_uris: z.array(z.string()).optional(),
    post_logout_redirect_uris: z.array(z.string()).optional(),
  })
  .refine((client) => (client.token_endpoint_auth_method === 'none' ? client.client_secret === undefined && client.client_secret_sha256 === undefined : true), {
    message: 'a public client (token_endpoint_auth_method none) has no client_secret',
  })
  .refine((client) => client.token_endpoint_auth_method === 'none' || (client.client_secret === undefined) !== (client.client_secret_sha256 === undefined), {
    message: 'give exactly one of client_secret and client_secret_sha256',
  })
  .transform((client, context): DeclaredClient => {
    let metadata: ClientMetadata;
    try {
      metadata = clientMetadataOf(client);
    } catch (error) {
      if (!(error instanceof ClientMetadataError)) throw error;
      for (const reason of error.reasons) context.addIssue({ code: 'custom', message: `${client.client_id}: ${reason}` });
      return z.NEVER;
    }
    const secretHash = client.client_secret_sha256 ?? (client.client_secret === undefined ? null : sha256Hex(client.client_secret));
    return { id: client.client_id, name: client.client_name ?? client.client_id, scopes: client.scope, secretHash, ...metadata };
  });

/**
 * AUTH_CLIENTS: a JSON array of declared clients, provisioned at every start. Errors never quote
 * the text: it holds secrets.
 */
export const declaredClientsSchema = jsonSetting('[]', 'a JSON array such as [{"client_id":"billing","scope":"usage-tracking:read","client_secret":"…"}]')
  .pipe(z.array(declaredClientSchema))
  .refine((clients) => new Set(clients.map(({ id }) => id)).size === clients.length, { message: 'declares the same client_id twice' });
