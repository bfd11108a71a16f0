/**
 * The revocation state the auth service writes to Redis and every verifier reads.
 *
 * Five sorted sets under one namespace (default `sso:`):
 *
 * | key                      | member     | score                                    | a token is revoked when           |
 * |--------------------------|------------|------------------------------------------|-----------------------------------|
 * | `<ns>revoked:jti`        | jti        | the token's `exp` (s)                    | its `jti` is a member             |
 * | `<ns>revoked:sub`        | subject    | cut-off (s)                              | `sub` matches and `iat <= cut-off` |
 * | `<ns>revoked:sid`        | session id | cut-off (s)                              | `sid` matches and `iat <= cut-off` |
 * | `<ns>revoked:client`     | client id  | cut-off (s)                              | `client_id` matches and `iat <= cut-off` |
 * | `<ns>revoked:kid`        | key id     | time of the key's removal (s)            | its header `kid` is a member      |
 *
 * Each write is published on the channel `<ns>revocations` as one JSON RevocationEvent, so a
 * verifier loads the sets once (ZRANGE … WITHSCORES) and then applies events as they arrive.
 * The auth service never issues a token whose `iat` equals a cut-off of its subject, session
 * or client: `iat <= cut-off` therefore refuses exactly the tokens issued before the cut-off.
 * Entries that can no longer match a live token are pruned by the writer: `jti` entries once
 * `exp` has passed, cut-offs once every token issued before them has expired.
 */
export const REVOCATION_KINDS = ['jti', 'sub', 'sid', 'client', 'kid'] as const;
export type RevocationKind = (typeof REVOCATION_KINDS)[number];

export const DEFAULT_REVOCATION_NAMESPACE = 'sso:';

export interface RevocationEvent {
  /** Format version. */
  v: 1;
  kind: RevocationKind;
  value: string;
  /** As in the sorted set: `exp` for jti, the cut-off for sub/sid/client, the removal time for kid. */
  score: number;
}

export function revocationKey(namespace: string, kind: RevocationKind): string {
  return `${namespace}revoked:${kind}`;
}

export function revocationChannel(namespace: string): string {
  return `${namespace}revocations`;
}

export function encodeRevocationEvent(event: Omit<RevocationEvent, 'v'>): string {
  return JSON.stringify({ v: 1, kind: event.kind, value: event.value, score: event.score });
}

/** Parses a channel message; undefined for anything that is not a well-formed event. */
export function decodeRevocationEvent(message: string): RevocationEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { v, kind, value, score } = parsed as Record<string, unknown>;
  if (v !== 1 || !REVOCATION_KINDS.includes(kind as RevocationKind)) return undefined;
  if (typeof value !== 'string' || value.length === 0 || typeof score !== 'number' || !Number.isFinite(score)) return undefined;
  return { v, kind: kind as RevocationKind, value, score };
}

/** The facts of a token that revocation is decided on. */
export interface RevocationSubject {
  jti: string;
  sub: string;
  sid?: string;
  client_id: string;
  kid: string;
  iat: number;
}

/** Looks up one entry of the state; undefined when there is none. */
export type RevocationLookup = (kind: RevocationKind, value: string) => number | undefined;

/** The one rule every verifier applies, whether the state is in memory or read from Redis. */
export function revocationReason(token: RevocationSubject, lookup: RevocationLookup): RevocationKind | undefined {
  if (lookup('jti', token.jti) !== undefined) return 'jti';
  if (lookup('kid', token.kid) !== undefined) return 'kid';
  const cutOff = (kind: RevocationKind, value: string | undefined) => {
    if (value === undefined) return false;
    const score = lookup(kind, value);
    return score !== undefined && token.iat <= score;
  };
  if (cutOff('sub', token.sub)) return 'sub';
  if (cutOff('sid', token.sid)) return 'sid';
  if (cutOff('client', token.client_id)) return 'client';
  return undefined;
}
