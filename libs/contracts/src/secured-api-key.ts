import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Secured API keys as the algoliasearch client's `generateSecuredApiKey` makes them:
 * `base64(hex(HMAC-SHA256(parentKey, QS)) + QS)`, where QS holds the restrictions, sorted by
 * name, each value URI-encoded (arrays joined with `,`, `+` as `%20`).
 */
export interface SecuredApiKey {
  /** The 64 lowercase hex characters of the HMAC. */
  mac: string;
  queryString: string;
}

/** What a secured key's query string restricts. Unknown names are search parameters. */
export interface SecuredKeyRestrictions {
  validUntil?: number;
  restrictIndices?: string[];
  /** One IPv4 address or CIDR range. */
  restrictSources?: string;
  /** The rate-limit identity instead of the IP. */
  userToken?: string;
  referers?: string[];
  /** Everything else: forced onto every query made with the key. */
  searchParameters: Record<string, string>;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const MAC = /^[0-9a-f]{64}/;
/** Longer values are refused before any work: each candidate parent costs an HMAC over the key. */
const MAX_SECURED_KEY_LENGTH = 4_096;

/** The parts of a secured key; undefined when the value cannot be one. */
export function parseSecuredApiKey(key: string): SecuredApiKey | undefined {
  if (key.length > MAX_SECURED_KEY_LENGTH || key.length % 4 !== 0 || !BASE64.test(key)) return undefined;
  const decoded = Buffer.from(key, 'base64').toString('utf8');
  if (!MAC.test(decoded)) return undefined;
  return { mac: decoded.slice(0, 64), queryString: decoded.slice(64) };
}

/** The HMAC a secured key made from `parentKey` over `queryString` must carry. */
export function securedKeyMac(parentKey: string, queryString: string): string {
  return createHmac('sha256', parentKey).update(queryString).digest('hex');
}

/** Constant-time comparison of the carried HMAC with the one recomputed from a candidate parent. */
export function securedKeyMatches(key: SecuredApiKey, parentKey: string): boolean {
  return timingSafeEqual(Buffer.from(key.mac, 'utf8'), Buffer.from(securedKeyMac(parentKey, key.queryString), 'utf8'));
}

/** The restrictions of a secured key's query string; undefined when one of them is malformed. */
export function securedKeyRestrictions(queryString: string): SecuredKeyRestrictions | undefined {
  const restrictions: SecuredKeyRestrictions = { searchParameters: {} };
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(queryString);
  } catch {
    return undefined;
  }
  for (const [name, value] of params) {
    switch (name) {
      case 'validUntil':
        if (!/^\d{1,12}$/.test(value)) return undefined;
        restrictions.validUntil = Number(value);
        break;
      case 'restrictIndices':
        restrictions.restrictIndices = listOf(value);
        break;
      case 'referers':
        restrictions.referers = listOf(value);
        break;
      case 'restrictSources':
        if (!/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/.test(value)) return undefined;
        restrictions.restrictSources = value;
        break;
      case 'userToken':
        if (value.length === 0 || value.length > 129) return undefined;
        restrictions.userToken = value;
        break;
      default:
        restrictions.searchParameters[name] = value;
    }
  }
  return restrictions;
}

function listOf(value: string): string[] {
  return value.split(',').map((entry) => entry.trim()).filter((entry) => entry.length > 0);
}
