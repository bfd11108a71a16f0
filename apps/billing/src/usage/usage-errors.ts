import { HttpException, HttpStatus } from '@nestjs/common';

/** A failure of a call billing depends on, answered with a stable `code` and nothing stored. */
export class UpstreamException extends HttpException {
  constructor(status: HttpStatus, code: string, message: string) {
    super({ message, code, error: status === HttpStatus.BAD_GATEWAY ? 'Bad Gateway' : status === HttpStatus.FORBIDDEN ? 'Forbidden' : 'Service Unavailable' }, status);
  }
}

export const usageErrors = {
  clientNotConfigured: () =>
    new UpstreamException(HttpStatus.SERVICE_UNAVAILABLE, 'service_client_not_configured', 'billing has no OAuth client (AUTH_CLIENT_ID, AUTH_CLIENT_SECRET) to call usage-tracking with'),
  authUnavailable: () => new UpstreamException(HttpStatus.SERVICE_UNAVAILABLE, 'auth_unavailable', 'the auth service could not be reached for a token; try again later'),
  authRefused: (status?: number, error?: string) =>
    new UpstreamException(HttpStatus.BAD_GATEWAY, 'auth_refused', `the auth service refused billing's token request (${status ?? 'no status'} ${error ?? 'no error code'})`),
  exchangeRefused: () =>
    new UpstreamException(HttpStatus.FORBIDDEN, 'usage_access_not_granted', 'your token cannot be exchanged for usage-tracking:read; log in with that scope to preview an invoice'),
  usageUnavailable: () => new UpstreamException(HttpStatus.SERVICE_UNAVAILABLE, 'usage_tracking_unavailable', 'usage-tracking could not be reached; try again later'),
  usageFailed: (status: number) => new UpstreamException(HttpStatus.BAD_GATEWAY, 'usage_tracking_error', `usage-tracking answered ${status}`),
  usageInvalid: () => new UpstreamException(HttpStatus.BAD_GATEWAY, 'usage_tracking_invalid_response', 'usage-tracking answered a summary billing cannot read'),
};
