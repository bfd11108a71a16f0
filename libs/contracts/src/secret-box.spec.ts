import { describe, expect, it } from '@jest/globals';
import { SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  const plaintext = Buffer.from('private key material');

  it('round-trips with the same secret and purpose and never stores the plaintext', () => {
    const sealed = new SecretBox('secret-one', 'purpose-a').seal(plaintext);
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain(plaintext.toString('base64url'));
    expect(new SecretBox('secret-one', 'purpose-a').open(sealed)).toEqual(plaintext);
  });

  it('refuses another secret, another purpose and any tampering', () => {
    const sealed = new SecretBox('secret-one', 'purpose-a').seal(plaintext);
    expect(() => new SecretBox('secret-two', 'purpose-a').open(sealed)).toThrow();
    expect(() => new SecretBox('secret-one', 'purpose-b').open(sealed)).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => new SecretBox('secret-one', 'purpose-a').open(parts.join('.'))).toThrow();
    expect(() => new SecretBox('secret-one', 'purpose-a').open('v0.a.b.c')).toThrow(/format/);
  });
});
