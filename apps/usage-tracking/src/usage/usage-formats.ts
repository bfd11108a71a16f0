/** Formats shared by the usage DTOs, so an event and a query read subjects and instants alike. */

/** Event ids double as idempotency keys; the same alphabet as request ids. */
export const EVENT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Lower-case identifiers without dots, so that "<service>.<metric>" in a summary is unambiguous. */
export const IDENTIFIER_PATTERN = /^[a-z][a-z0-9_-]{0,63}$/;

/**
 * An instant with an explicit offset (RFC 3339: "2026-11-28T10:00:00Z", "…+01:00"), or a
 * date ("2026-11-01", midnight UTC). A local time without offset is refused: it would mean
 * a different instant on every server.
 */
export const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export const INSTANT_MESSAGE = 'must be an ISO 8601 date (2026-11-01) or date-time with an offset (2026-11-01T10:00:00Z)';

export const MAX_QUANTITY = 1_000_000_000;
