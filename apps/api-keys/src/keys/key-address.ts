import { apiKeyHash, isWellFormedApiKey } from '@sso/contracts';

/** How a route's `:key` names a key: by its id (a UUID), or by the SHA-256 of the key itself. */
export type KeyAddress = { by: 'id'; id: string } | { by: 'hash'; hash: string; key?: string };

/** A key's id: a UUID. */
export const KEY_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The address of `:key`. `addressedKey` is the segment the path redaction took out of the URL
 * (see key-path-redaction.ts), whose hash is then in `param`. Undefined when it cannot name a
 * key (a malformed key, say): the caller answers 404 as for an unknown key.
 */
export function keyAddressOf(param: string, addressedKey?: string): KeyAddress | undefined {
  if (addressedKey !== undefined) {
    return isWellFormedApiKey(addressedKey) ? { by: 'hash', hash: apiKeyHash(addressedKey), key: addressedKey } : undefined;
  }
  if (KEY_ID_PATTERN.test(param)) return { by: 'id', id: param.toLowerCase() };
  if (isWellFormedApiKey(param)) return { by: 'hash', hash: apiKeyHash(param), key: param };
  if (SHA256_HEX.test(param)) return { by: 'hash', hash: param };
  return undefined;
}
