import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...options, maxmem: 256 * options.N! * options.r! }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * scrypt with a per-password salt; the parameters are stored beside the hash so that the
 * cost can rise later without invalidating existing passwords.
 * Format: `scrypt$<log2 N>$<r>$<p>$<salt base64url>$<hash base64url>`.
 */
export class PasswordHasher {
  private readonly dummy: Promise<string>;

  constructor(private readonly logCost: number) {
    this.dummy = this.hash(randomBytes(16).toString('hex'));
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const [N, r, p] = [2 ** this.logCost, 8, 1];
    const key = await derive(password, salt, { N, r, p });
    return ['scrypt', this.logCost, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  /** Constant-time comparison; a malformed stored hash never matches. */
  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, logCost, r, p, salt, hash] = stored.split('$');
    if (scheme !== 'scrypt' || !salt || !hash) return false;
    const expected = Buffer.from(hash, 'base64url');
    const actual = await derive(password, Buffer.from(salt, 'base64url'), { N: 2 ** Number(logCost), r: Number(r), p: Number(p) });
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /** The same work as a real check, for unknown users: the answer and its timing reveal nothing. */
  async verifyAgainstDummy(password: string): Promise<false> {
    await this.verify(password, await this.dummy);
    return false;
  }
}
