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
