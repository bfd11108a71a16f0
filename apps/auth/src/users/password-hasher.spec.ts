import { describe, expect, it } from '@jest/globals';
import { PasswordHasher } from './password-hasher.js';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher(10);

  it('salts every hash and keeps its parameters beside it', async () => {
    const [first, second] = [await hasher.hash('correct horse'), await hasher.hash('correct horse')];
    expect(first).toMatch(/^scrypt\$10\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(first).not.toBe(second);
  });

  it('accepts the right password, refuses a wrong one and any malformed hash', async () => {
    const stored = await hasher.hash('correct horse');
    expect(await hasher.verify('correct horse', stored)).toBe(true);
    expect(await hasher.verify('correct horsf', stored)).toBe(false);
    for (const malformed of ['', 'plain', 'md5$x$y', stored.replace(/\$[\w-]+$/, '$')]) expect(await hasher.verify('correct horse', malformed)).toBe(false);
  });

  it('verifies a hash made with other parameters (a later cost change keeps old passwords working)', async () => {
    const stronger = await new PasswordHasher(11).hash('correct horse');
    expect(await hasher.verify('correct horse', stronger)).toBe(true);
  });

  it('does the same work for unknown users and always says no', async () => {
    expect(await hasher.verifyAgainstDummy('anything')).toBe(false);
  });
});
