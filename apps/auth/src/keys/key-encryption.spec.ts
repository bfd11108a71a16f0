import { describe, expect, it } from '@jest/globals';
import { KeyEncryption } from './key-encryption.js';

describe('KeyEncryption', () => {
  const plaintext = Buffer.from('private key material');

  it('round-trips with the same secret and never stores the plaintext', () => {
    const sealed = new KeyEncryption('secret-one').encrypt(plaintext);
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain(plaintext.toString('base64url'));
    expect(new KeyEncryption('secret-one').decrypt(sealed)).toEqual(plaintext);
  });

  it('refuses another secret and any tampering', () => {
    const sealed = new KeyEncryption('secret-one').encrypt(plaintext);
    expect(() => new KeyEncryption('secret-two').decrypt(sealed)).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => new KeyEncryption('secret-one').decrypt(parts.join('.'))).toThrow();
    expect(() => new KeyEncryption('secret-one').decrypt('v0.a.b.c')).toThrow(/format/);
  });
});
