import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Legacy API keys: their shape, and the projection the API-key service writes to Redis for
 * every guard to read. The key service's database owns the keys; Redis holds what a guard
 * needs to check one, and never a key in plaintext.
 *
 * | key                          | type        | holds                                                          |
 * |------------------------------|-------------|----------------------------------------------------------------|
 * | `<ns>apikeys`                | hash        | SHA-256 of a key (hex) → its ApiKeyRecord (JSON)                |
 * | `<ns>apikeys:events`         | channel     | one ApiKeyEvent (JSON) per change of that hash                 |
 * | `<ns>apikeys:last-used`      | sorted set  | key id → the last time a guard accepted it (s), ZADD GT         |
 * | `<ns>apikeys:deleted-uses`   | list        | ApiKeyUseAfterDelete (JSON), drained into the key service's audit |
 * | `<ns>apikeys:rate:<id>:<who>:<hour>` | string | requests of one key from one IP or user token in one hour |
 *
 * Every write to the hash is published on the channel, so a guard loads the hash once (HGETALL)
 * and then applies events as they arrive. Deleted keys stay in the hash as tombstones
 * (`deletedAt`) while they can be restored, so a guard can tell a use after delete.
 */

/** Algolia's ACL vocabulary. `admin` is not one: the admin key is the application's own. */
export const API_KEY_ACLS = [
  'search',
  'browse',
  'addObject',
  'deleteObject',
  'listIndexes',
  'deleteIndex',
  'settings',
  'editSettings',
  'analytics',
  'recommendation',
  'personalization',
  'usage',
  'logs',
  'seeUnretrievableAttributes',
  'inference',
] as const;
export type ApiKeyAcl = (typeof API_KEY_ACLS)[number];

/** ACL entries that act on an index, so a key's `indexes` restriction applies to them. */
export const INDEX_ACLS: readonly ApiKeyAcl[] = ['search', 'browse', 'addObject', 'deleteObject', 'deleteIndex', 'settings', 'editSettings', 'seeUnretrievableAttributes'];

/** The product catalog's index name, for keys' `indexes` and secured keys' `restrictIndices`. */
export const PRODUCTS_INDEX = 'products';

/**
 * What a key may do once exchanged for an access token (token exchange at auth): a scope is
 * granted when the key holds every ACL entry of its rule, so the token can do no more than the
 * key (product:write also creates and replaces, so it needs both addObject and deleteObject).
 * Rules of index ACLs apply only where the key's `indexes` allow the catalog (`products`).
 */
export const ACL_SCOPES: ReadonlyArray<{ scope: string; acl: readonly ApiKeyAcl[] }> = [
  { scope: 'product:read', acl: ['search'] },
  { scope: 'product:write', acl: ['addObject', 'deleteObject'] },
  { scope: 'usage-tracking:read', acl: ['usage'] },
];

/** The `client_id` of tokens exchanged for keys: their subject is the key's id, so they act on nothing but it. */
export const API_KEY_EXCHANGE_CLIENT_ID = 'sso-api-key';

/** `ak_` + 32 base62 characters of randomness (190 bits) + 6 base62 characters of CRC32. */
export const API_KEY_PREFIX = 'ak_';
const BODY_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const API_KEY_PATTERN = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${BODY_LENGTH + CHECKSUM_LENGTH}}$`);
/** How much of a key may be shown again after creation (prefix and 4 characters: 24 bits). */
export const API_KEY_VISIBLE_LENGTH = API_KEY_PREFIX.length + 4;

/** A new key, shown once to whoever created it. */
export function mintApiKey(): string {
  let body = '';
  while (body.length < BODY_LENGTH) {
    // 248 = 4 × 62: bytes at or above it are dropped, so every character is equally likely.
    for (const byte of randomBytes(BODY_LENGTH)) if (byte < 248 && body.length < BODY_LENGTH) body += BASE62[byte % 62];
  }
  const head = `${API_KEY_PREFIX}${body}`;
  return `${head}${checksumOf(head)}`;
}

/** Prefix, length, alphabet and checksum: a typo or a truncated key is refused without a lookup. */
export function isWellFormedApiKey(key: string): boolean {
  if (!API_KEY_PATTERN.test(key)) return false;
  const head = key.slice(0, -CHECKSUM_LENGTH);
  return checksumOf(head) === key.slice(-CHECKSUM_LENGTH);
}

/** The lookup hash: keys are high-entropy random values, so SHA-256 is enough (no slow hash). */
export function apiKeyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** `ak_AbCd…`: what listings show instead of the key. */
export function maskedApiKey(visiblePart: string): string {
  return `${visiblePart}…`;
}

function checksumOf(head: string): string {
  let value = crc32(head);
  let encoded = '';
  for (let index = 0; index < CHECKSUM_LENGTH; index++) {
    encoded = BASE62[value % 62] + encoded;
    value = Math.floor(value / 62);
  }
  return encoded;
}

/** What a guard knows of one key. Times are Unix seconds. */
export interface ApiKeyRecord {
  v: 1;
  /** The key's identifier: a request made with it has this as its subject. */
  id: string;
  appId: string;
  acl: string[];
  /** Index names or patterns with a leading or trailing `*`; empty means every index. */
  indexes: string[];
  /** Referer patterns (`https://example.com/*`, `*.example.com`); empty means any. */
  referers: string[];
  /** 0: no cap. */
  maxHitsPerQuery: number;
  /** 0: no limit (and no Redis call per request). */
  maxQueriesPerIPPerHour: number;
  /** URL-encoded search parameters forced onto every query; '' for none. */
  queryParameters: string;
  expiresAt: number | null;
  /** Set while a deleted key can still be restored. */
  deletedAt: number | null;
  /** Only for keys that may parent secured keys: the key itself, sealed (SecretBox, purpose API_KEY_SECRET_PURPOSE). */
  sealedSecret?: string;
  /**
   * When the key last changed (ms since the epoch): of two records of one key, the later wins,
   * so a guard merging a reloaded projection into what it holds never goes back in time.
   */
  version: number;
}

/** The SecretBox purpose of `sealedSecret`; the key-encryption secret is API_KEYS_ENCRYPTION_SECRET. */
export const API_KEY_SECRET_PURPOSE = 'sso-api-key-secrets';

/** A change of the hash: the record under `hash` now, or null when it was removed. */
export interface ApiKeyEvent {
  v: 1;
  hash: string;
  record: ApiKeyRecord | null;
}

/** A guard saw a deleted key in use; the key service records it in its audit trail. */
export interface ApiKeyUseAfterDelete {
  keyId: string;
  service: string;
  at: number;
  ip?: string;
}

export const apiKeysHashKey = (namespace: string) => `${namespace}apikeys`;
export const apiKeysChannel = (namespace: string) => `${namespace}apikeys:events`;
export const apiKeysLastUsedKey = (namespace: string) => `${namespace}apikeys:last-used`;
export const apiKeysDeletedUsesKey = (namespace: string) => `${namespace}apikeys:deleted-uses`;
export const apiKeyRateKey = (namespace: string, keyId: string, who: string, hour: number) => `${namespace}apikeys:rate:${keyId}:${who}:${hour}`;

export function encodeApiKeyRecord(record: Omit<ApiKeyRecord, 'v'>): string {
  return JSON.stringify({ ...record, v: 1 });
}

/** Parses a stored record; undefined for anything malformed (a guard then treats the key as unknown). */
export function decodeApiKeyRecord(json: string | null | undefined): ApiKeyRecord | undefined {
  const parsed = parseJson(json);
  return isApiKeyRecord(parsed) ? parsed : undefined;
}

export function encodeApiKeyEvent(hash: string, record: Omit<ApiKeyRecord, 'v'> | null): string {
  return JSON.stringify({ v: 1, hash, record: record === null ? null : { ...record, v: 1 } });
}

export function decodeApiKeyEvent(message: string): ApiKeyEvent | undefined {
  const parsed = parseJson(message) as Partial<ApiKeyEvent> | undefined;
  if (!parsed || parsed.v !== 1 || typeof parsed.hash !== 'string' || !/^[0-9a-f]{64}$/.test(parsed.hash)) return undefined;
  if (parsed.record !== null && !isApiKeyRecord(parsed.record)) return undefined;
  return { v: 1, hash: parsed.hash, record: parsed.record };
}

function parseJson(json: string | null | undefined): unknown {
  if (typeof json !== 'string') return undefined;
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((entry) => typeof entry === 'string');
const isTime = (value: unknown) => value === null || (typeof value === 'number' && Number.isFinite(value));
const isCount = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;

function isApiKeyRecord(value: unknown): value is ApiKeyRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    record.v === 1 &&
    typeof record.id === 'string' &&
    record.id.length > 0 &&
    typeof record.appId === 'string' &&
    isStringArray(record.acl) &&
    isStringArray(record.indexes) &&
    isStringArray(record.referers) &&
    isCount(record.maxHitsPerQuery) &&
    isCount(record.maxQueriesPerIPPerHour) &&
    typeof record.queryParameters === 'string' &&
    isTime(record.expiresAt) &&
    isTime(record.deletedAt) &&
    (record.sealedSecret === undefined || typeof record.sealedSecret === 'string') &&
    typeof record.version === 'number' &&
    Number.isFinite(record.version)
  );
}
