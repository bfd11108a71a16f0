import { describe, expect, it } from '@jest/globals';
import { scopesOfKey } from './key-scopes.js';

describe('scopesOfKey', () => {
  it('maps the ACL to scopes, once each', () => {
    expect(scopesOfKey({ acl: ['search', 'browse', 'addObject', 'deleteObject', 'usage', 'logs'], indexes: [] })).toEqual(['product:read', 'product:write', 'usage-tracking:read']);
  });

  it('gives product scopes only when every index list allows the catalog', () => {
    expect(scopesOfKey({ acl: ['search', 'usage'], indexes: [['prod*']] })).toEqual(['product:read', 'usage-tracking:read']);
    expect(scopesOfKey({ acl: ['search', 'usage'], indexes: [['movies']] })).toEqual(['usage-tracking:read']);
    expect(scopesOfKey({ acl: ['search'], indexes: [['products'], ['Movies']] })).toEqual([]);
  });
});
