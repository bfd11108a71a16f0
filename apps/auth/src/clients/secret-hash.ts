import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-256 (hex) of a high-entropy secret or token: enough when the secret is 256 random bits. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function matchesHash(value: string, expectedHex: string): boolean {
  const actual = Buffer.from(sha256Hex(value), 'hex');
  const expected = Buffer.from(expectedHex, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
