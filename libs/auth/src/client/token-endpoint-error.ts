/** The token endpoint refused or could not be reached; `error` is the RFC 6749 §5.2 code when it answered. */
export class TokenEndpointError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly error?: string,
  ) {
    super(message);
    this.name = 'TokenEndpointError';
  }
}
