import { describe, expect, it } from '@jest/globals';
import { AuthRejection } from '../auth-rejection.js';
import { rejectionOf } from './rejection-of.js';

const named = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('rejectionOf', () => {
  it.each([
    [named('TokenExpiredError', 'jwt expired'), 'expired'],
    [named('NotBeforeError', 'jwt not active'), 'not_yet_valid'],
    [named('JsonWebTokenError', 'invalid signature'), 'bad_signature'],
    [named('JsonWebTokenError', 'jwt audience invalid. expected: billing'), 'wrong_audience'],
    [named('JsonWebTokenError', 'jwt issuer invalid. expected: x'), 'wrong_issuer'],
    [named('JsonWebTokenError', 'invalid algorithm'), 'algorithm_not_allowed'],
    [named('JsonWebTokenError', 'jwt malformed'), 'malformed'],
    [new Error('No auth token'), 'missing_token'],
    [new AuthRejection('unknown_key'), 'unknown_key'],
    ['a string', 'malformed'],
  ])('maps %p to %s', (error, reason) => {
    expect(rejectionOf(error).reason).toBe(reason);
  });
});
