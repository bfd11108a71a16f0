export { ACCESS_TOKEN_TYPE, SIGNING_ALGORITHMS, SUBJECT_PATTERN, SUBJECT_MESSAGE, type SigningAlgorithm, type AccessTokenClaims } from './access-token.js';
export { SCOPE_ACTIONS, SCOPE_PATTERN, isScope, parseScope, formatScope, audiencesOf, type ScopeAction } from './scopes.js';
export {
  REVOCATION_KINDS,
  DEFAULT_REVOCATION_NAMESPACE,
  revocationKey,
  revocationChannel,
  encodeRevocationEvent,
  decodeRevocationEvent,
  revocationReason,
  type RevocationKind,
  type RevocationEvent,
  type RevocationSubject,
  type RevocationLookup,
} from './revocation.js';
export { SecretBox } from './secret-box.js';
export {
  API_KEY_ACLS,
  INDEX_ACLS,
  ACL_SCOPES,
  API_KEY_EXCHANGE_CLIENT_ID,
  PRODUCTS_INDEX,
  API_KEY_PREFIX,
  API_KEY_PATTERN,
  API_KEY_VISIBLE_LENGTH,
  API_KEY_SECRET_PURPOSE,
  mintApiKey,
  isWellFormedApiKey,
  apiKeyHash,
  maskedApiKey,
  apiKeysHashKey,
  apiKeysChannel,
  apiKeysLastUsedKey,
  apiKeysDeletedUsesKey,
  apiKeyRateKey,
  encodeApiKeyRecord,
  decodeApiKeyRecord,
  encodeApiKeyEvent,
  decodeApiKeyEvent,
  type ApiKeyAcl,
  type ApiKeyRecord,
  type ApiKeyEvent,
  type ApiKeyUseAfterDelete,
} from './api-keys.js';
export { parseSecuredApiKey, securedKeyMac, securedKeyMatches, securedKeyRestrictions, type SecuredApiKey, type SecuredKeyRestrictions } from './secured-api-key.js';
export { projectionGenerationKey, encodeProjectionGeneration, decodeProjectionGeneration, type ProjectionGeneration, type ProjectionName } from './projection-generation.js';
export { createRedisClient, redactedUrl, withTimeout, type RedisClient, type RedisClientSettings } from './redis-client.js';
export { currentRequestId, propagationHeaders, runWithRequestId, REQUEST_ID_HEADER } from './request-context.js';
export { HEALTH_CHECKS, IS_PUBLIC_ROUTE, METRICS_REGISTRY, Public, type HealthChecks, type WithResponseHeaders } from './service-hooks.js';
