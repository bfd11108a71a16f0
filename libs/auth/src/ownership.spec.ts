import { describe, expect, it } from '@jest/globals';
import { actsOnAnySubject, subjectFor } from './ownership.js';
import type { Principal } from './principal.js';

const principal = (kind: Principal['kind'], scopes: string[] = []): Principal => ({ kind, subject: 'me', scopes, claims: {} });

describe('ownership', () => {
  it('lets a user act on itself only', () => {
    expect(subjectFor(principal('user'), undefined, 'billing:admin')).toBe('me');
    expect(subjectFor(principal('user'), 'me', 'billing:admin')).toBe('me');
    expect(() => subjectFor(principal('user'), 'you', 'billing:admin')).toThrow(expect.objectContaining({ status: 403 }) as unknown as Error);
  });

  it('lets a service or the admin scope act on anyone', () => {
    expect(subjectFor(principal('service'), 'you', 'billing:admin')).toBe('you');
    expect(subjectFor(principal('user', ['billing:admin']), 'you', 'billing:admin')).toBe('you');
    expect(actsOnAnySubject(principal('user', ['settings:admin']), 'billing:admin')).toBe(false);
  });
});
