import type { ApiKeyRecord } from '@sso/contracts';
import type { ApiKey } from '../keys/api-key.entity.js';

/** A change of the projection: the record now stored under `hash`, or null when the key is gone. */
export interface KeyChange {
  hash: string;
  /** Unknown only for a stray hash field found by a rebuild. */
  keyId?: string;
  record: Omit<ApiKeyRecord, 'v'> | null;
}

export const unixSeconds = (date: Date | null): number | null => (date === null ? null : Math.floor(date.getTime() / 1000));

/** What a guard needs of a key: its restrictions and state, never the key (only the sealed secret of a parent). */
export function recordOf(key: ApiKey, appId: string): Omit<ApiKeyRecord, 'v'> {
  return {
    id: key.id,
    appId,
    acl: key.acl,
    indexes: key.indexes,
    referers: key.referers,
    maxHitsPerQuery: key.maxHitsPerQuery,
    maxQueriesPerIPPerHour: key.maxQueriesPerIPPerHour,
    queryParameters: key.queryParameters,
    expiresAt: unixSeconds(key.expiresAt),
    deletedAt: unixSeconds(key.deletedAt),
    ...(key.sealedSecret ? { sealedSecret: key.sealedSecret } : {}),
    version: key.updatedAt.getTime(),
  };
}

/**
 * When a change of `key` happens: now, but always after its previous change, so its `version`
 * (a guard keeps the later of two records) grows with every change even when two changes fall
 * in one millisecond or another process's clock lags.
 */
export function changeTime(key: Pick<ApiKey, 'updatedAt'>, now: Date): Date {
  return new Date(Math.max(now.getTime(), key.updatedAt.getTime() + 1));
}

export function changeOf(key: ApiKey, appId: string): KeyChange {
  return { hash: key.hash, keyId: key.id, record: recordOf(key, appId) };
}

export function removalOf(key: ApiKey): KeyChange {
  return { hash: key.hash, keyId: key.id, record: null };
}
