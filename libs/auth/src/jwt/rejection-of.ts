import { AuthRejection } from '../auth-rejection.js';

/** Maps what passport-jwt and jsonwebtoken report to a rejection; nothing of the token leaks. */
export function rejectionOf(error: unknown): AuthRejection {
  if (error instanceof AuthRejection) return error;
  if (!(error instanceof Error)) return new AuthRejection('malformed');
  if (error.name === 'TokenExpiredError') return new AuthRejection('expired');
  if (error.name === 'NotBeforeError') return new AuthRejection('not_yet_valid');
  const message = error.message;
  if (message === 'No auth token') return new AuthRejection('missing_token');
  if (message === 'invalid signature') return new AuthRejection('bad_signature');
  if (message.startsWith('jwt audience invalid')) return new AuthRejection('wrong_audience');
  if (message.startsWith('jwt issuer invalid')) return new AuthRejection('wrong_issuer');
  if (message === 'invalid algorithm' || message.includes('must be a symmetric key') || message.includes('must be an asymmetric key')) {
    return new AuthRejection('algorithm_not_allowed');
  }
  return new AuthRejection('malformed');
}
