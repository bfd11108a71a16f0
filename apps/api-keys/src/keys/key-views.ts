import { maskedApiKey } from '@sso/contracts';
import { unixSeconds } from '../projection/key-record.js';
import type { ApiKey } from './api-key.entity.js';

/** Algolia's GetApiKeyResponse, plus `keyId` and `lastUsedAt`; `value` is masked (the key is shown once, at creation). */
export interface ApiKeyView {
  value: string;
  /** Unix seconds, as Algolia answers. */
  createdAt: number;
  acl: string[];
  description: string;
  indexes: string[];
  referers: string[];
  maxHitsPerQuery: number;
  maxQueriesPerIPPerHour: number;
  queryParameters: string;
  /** Seconds left before the key is deleted (rounded up); 0 = never. */
  validity: number;
  keyId: string;
  /** Unix seconds of the last accepted use, as guards report it; null when never used. */
  lastUsedAt: number | null;
}

export function keyView(key: ApiKey, now = Date.now()): ApiKeyView {
  return {
    value: maskedApiKey(key.visiblePart),
    createdAt: unixSeconds(key.createdAt) as number,
    acl: key.acl,
    description: key.description,
    indexes: key.indexes,
    referers: key.referers,
    maxHitsPerQuery: key.maxHitsPerQuery,
    maxQueriesPerIPPerHour: key.maxQueriesPerIPPerHour,
    queryParameters: key.queryParameters,
    validity: key.expiresAt ? Math.max(1, Math.ceil((key.expiresAt.getTime() - now) / 1000)) : 0,
    keyId: key.id,
    lastUsedAt: unixSeconds(key.lastUsedAt),
  };
}
