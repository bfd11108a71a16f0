import {
  apiKeyHash,
  INDEX_ACLS,
  isWellFormedApiKey,
  parseSecuredApiKey,
  securedKeyMatches,
  securedKeyRestrictions,
  type ApiKeyAcl,
  type ApiKeyRecord,
  type SecuredKeyRestrictions,
} from '@sso/contracts';
import { AuthRejection } from '../auth-rejection.js';
import { LruMap } from '../lru-map.js';
import type { Principal } from '../principal.js';
import { ApiKeyRateLimitedException } from './api-key-rate-limited.exception.js';
import type { ApiKeyStore } from './api-key-store.js';
import { headerOf, type ApiKeyCheck, type ApiKeyVerifier } from './api-key-verifier.js';
import { indexAllowed, refererAllowed, sourceAllowed } from './key-restrictions.js';

export interface StoredApiKeySettings {
  /** `x-algolia-application-id` every key must come with. */
  applicationId: string;
  /**
   * The index a request acts on, for keys restricted by `indexes` or `restrictIndices`. When
   * it says nothing, such a key is refused on routes that need an index ACL.
   */
  indexOf?: (request: ApiKeyCheck['request']) => string | undefined;
  /**
   * Count requests of keys with `maxQueriesPerIPPerHour` (default true). False only where such
   * keys are refused anyway, so that trying one does not use up its quota (the token exchange).
   */
  countsRequests?: boolean;
}

/** What a key-authenticated principal's `claims` hold: the restrictions a route may still have to apply. */
export interface ApiKeyClaims {
  keyId: string;
  acl: string[];
  /** The key's index patterns and a secured key's `restrictIndices`: an index must match each non-empty list. */
  indexes: string[][];
  /** The key's referer patterns and a secured key's own, likewise. */
  referers: string[][];
  /** 0: no cap. */
  maxHitsPerQuery: number;
  /** 0: no limit. */
  maxQueriesPerIPPerHour: number;
  /** When the key or the secured key stops working (Unix seconds); null: never. */
  expiresAt: number | null;
  restrictSources?: string;
  /** Search parameters forced onto every query: the key's `queryParameters`, then a secured key's own. */
  forcedSearchParameters: Array<Record<string, string>>;
  /** A secured key's rate-limit identity. */
  userToken?: string;
  /** Made with `generateSecuredApiKey` from the key `keyId`. */
  secured: boolean;
}

/** What a presented key stands for: the hash its record is kept under, a secured key's restrictions, and the principal last made of its record. */
interface ResolvedKey {
  hash: string;
  restrictions?: SecuredKeyRestrictions;
  lastPrincipal?: { record: ApiKeyRecord; principal: Principal };
}

/** The claims of a principal made from an API key; undefined for a token's principal. */
export function apiKeyClaimsOf(principal: Principal): ApiKeyClaims | undefined {
  return principal.kind === 'api-key' ? (principal.claims as unknown as ApiKeyClaims) : undefined;
}

/**
 * Keys resolved lately, by their text: a key in steady use costs no hashing, a secured key no
 * search among the parents, and an unchanged record no new principal.
 */
const RESOLVED_KEYS_KEPT = 10_000;

/**
 * Checks a legacy API key against the projection of the key service (ApiKeyStore): the key's
 * shape first (no lookup for a malformed one), then application id, deletion, expiry, ACL,
 * indexes, referers, a secured key's own restrictions, and the rate limit. Every refusal is the
 * same 403 (`api_key_refused`), so a caller learns nothing about which check failed.
 */
export class StoredApiKeyVerifier implements ApiKeyVerifier {
  private readonly resolvedKeys = new LruMap<string, ResolvedKey>(RESOLVED_KEYS_KEPT);

  constructor(
    private readonly store: ApiKeyStore,
    private readonly settings: StoredApiKeySettings,
  ) {}

  async verify({ key, applicationId, acl, request }: ApiKeyCheck): Promise<Principal> {
    if (applicationId !== this.settings.applicationId) throw refused();
    const known = this.resolvedKeys.get(key);
    const resolved = known ?? (await this.resolve(key));
    const record = resolved && (await this.store.find(resolved.hash));
    if (!resolved || !record) throw refused();
    // Only a key the projection knows is kept: made-up keys, however well-formed, cannot push out real ones.
    if (!known) this.resolvedKeys.set(key, resolved);
    if (record.deletedAt !== null) {
      this.store.reportDeletedUse(record.id, request.ip);
      throw refused();
    }
    const restrictions = resolved.restrictions;
    // A parent that lost `search` lost its sealed secret: its secured keys stop, remembered or not.
    if (restrictions && record.sealedSecret === undefined) throw refused();
    if (!this.allows(record, restrictions, acl, request)) throw refused();
    if (restrictions?.restrictSources !== undefined && !sourceAllowed(restrictions.restrictSources, request.ip)) throw refused();
    await this.countRequest(record, restrictions, request.ip);
    this.store.recordUse(record.id);
    return principalFor(resolved, record);
  }

  private async resolve(key: string): Promise<ResolvedKey | undefined> {
    return isWellFormedApiKey(key) ? { hash: apiKeyHash(key) } : this.resolveSecured(key);
  }

  private async resolveSecured(key: string): Promise<ResolvedKey | undefined> {
    const secured = parseSecuredApiKey(key);
    const restrictions = secured && securedKeyRestrictions(secured.queryString);
    if (!secured || !restrictions) return undefined;
    for (const parent of await this.store.parents()) {
      if (securedKeyMatches(secured, parent.secret)) return { hash: parent.hash, restrictions };
    }
    return undefined;
  }

  private allows(record: ApiKeyRecord, restrictions: SecuredKeyRestrictions | undefined, acl: readonly string[], request: ApiKeyCheck['request']): boolean {
    const now = Math.floor(Date.now() / 1000);
    if (record.appId !== this.settings.applicationId) return false;
    if (record.expiresAt !== null && record.expiresAt <= now) return false;
    if (restrictions?.validUntil !== undefined && restrictions.validUntil <= now) return false;
    if (!acl.every((entry) => record.acl.includes(entry))) return false;
    if (acl.some((entry) => INDEX_ACLS.includes(entry as ApiKeyAcl))) {
      const index = this.settings.indexOf?.(request);
      const lists = nonEmpty([record.indexes, restrictions?.restrictIndices ?? []]);
      if (lists.length > 0 && (index === undefined || !lists.every((list) => indexAllowed(list, index)))) return false;
    }
    const referer = headerOf(request.headers, 'referer');
    const refererLists = nonEmpty([record.referers, restrictions?.referers ?? []]);
    return refererLists.every((list) => refererAllowed(list, referer));
  }

  /** Keys without a limit cost no Redis call; a secured key's user token counts instead of the IP. */
  private async countRequest(record: ApiKeyRecord, restrictions: SecuredKeyRestrictions | undefined, ip: string | undefined): Promise<void> {
    if (record.maxQueriesPerIPPerHour === 0 || this.settings.countsRequests === false) return;
    const who = restrictions?.userToken !== undefined ? `user:${restrictions.userToken}` : `ip:${ip ?? 'unknown'}`;
    const { count, retryAfterSeconds } = await this.store.countRequest(record.id, who);
    if (count > record.maxQueriesPerIPPerHour) throw new ApiKeyRateLimitedException(retryAfterSeconds);
  }
}

/**
 * The principal of this record and key, made again only when the record changed (the projection
 * replaces a record, never edits it). Requests of one key share it, so it is frozen throughout.
 */
function principalFor(resolved: ResolvedKey, record: ApiKeyRecord): Principal {
  if (resolved.lastPrincipal?.record !== record) resolved.lastPrincipal = { record, principal: deepFreeze(principalOf(record, resolved.restrictions)) };
  return resolved.lastPrincipal.principal;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function principalOf(record: ApiKeyRecord, restrictions: SecuredKeyRestrictions | undefined): Principal {
  const forced = [Object.fromEntries(new URLSearchParams(record.queryParameters)), restrictions?.searchParameters ?? {}].filter((parameters) => Object.keys(parameters).length > 0);
  const ends = [record.expiresAt, restrictions?.validUntil ?? null].filter((time): time is number => time !== null);
  const claims: ApiKeyClaims = {
    keyId: record.id,
    acl: [...record.acl],
    indexes: nonEmpty([record.indexes, restrictions?.restrictIndices ?? []]),
    referers: nonEmpty([record.referers, restrictions?.referers ?? []]),
    maxHitsPerQuery: record.maxHitsPerQuery,
    maxQueriesPerIPPerHour: record.maxQueriesPerIPPerHour,
    expiresAt: ends.length > 0 ? Math.min(...ends) : null,
    ...(restrictions?.restrictSources !== undefined ? { restrictSources: restrictions.restrictSources } : {}),
    forcedSearchParameters: forced,
    ...(restrictions?.userToken !== undefined ? { userToken: restrictions.userToken } : {}),
    secured: restrictions !== undefined,
  };
  return { kind: 'api-key', subject: record.id, scopes: [...record.acl], claims: Object.freeze(claims) };
}

function nonEmpty(lists: string[][]): string[][] {
  return lists.filter((list) => list.length > 0).map((list) => [...list]);
}


function refused(): AuthRejection {
  return new AuthRejection('api_key_refused');
}
