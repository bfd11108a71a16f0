/**
 * Why a request was refused. Each value is a metric label and a stable error `code`, so the
 * set stays small and never carries anything from the token itself.
 */
export type RejectionReason =
  | 'missing_token'
  | 'malformed'
  | 'wrong_type'
  | 'unsupported_header'
  | 'algorithm_not_allowed'
  | 'unknown_key'
  | 'bad_signature'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'expired'
  | 'not_yet_valid'
  | 'missing_claim'
  | 'revoked'
  | 'insufficient_scope'
  | 'jwks_unavailable'
  | 'revocation_unavailable'
  | 'api_key_refused'
  | 'api_key_unavailable';

const DESCRIPTIONS: Record<RejectionReason, string> = {
  missing_token: 'a bearer access token is required',
  malformed: 'the token is malformed',
  wrong_type: 'the token is not an access token (typ must be at+jwt)',
  unsupported_header: 'the token header has a critical extension this service does not support',
  algorithm_not_allowed: 'the token algorithm is not allowed',
  unknown_key: 'the token was signed with an unknown key',
  bad_signature: 'the token signature is invalid',
  wrong_issuer: 'the token was issued by another issuer',
  wrong_audience: 'the token is not meant for this service',
  expired: 'the token has expired',
  not_yet_valid: 'the token is not valid yet',
  missing_claim: 'the token lacks a required claim',
  revoked: 'the token has been revoked',
  insufficient_scope: 'the token lacks a required scope',
  jwks_unavailable: 'the signing keys of the issuer cannot be fetched right now',
  revocation_unavailable: 'the revocation state cannot be checked right now',
  api_key_refused: 'the API key is not accepted for this route',
  api_key_unavailable: 'API keys cannot be checked right now',
};

/** A refusal on the way through the verifier; the guard turns it into the HTTP answer. */
export class AuthRejection extends Error {
  constructor(
    readonly reason: RejectionReason,
    readonly description: string = DESCRIPTIONS[reason],
  ) {
    super(description);
    this.name = 'AuthRejection';
  }
}
