import { describe, expect, it } from '@jest/globals';
import { scopesOfKey } from './key-scopes.js';

describe('scopesOfKey', () => {
  it('grants a scope only for the whole of its ACL rule, so a token never does more than its key', () => {
    expect(scopesOfKey({ acl: ['search', 'addObject', 'deleteObject', 'usage', 'logs'], indexes: [] })).toEqual(['product:read', 'product:write', 'usage-tracking:read']);
    expect(scopesOfKey({ acl: ['search', 'addObject'], indexes: [] })).toEqual(['product:read']);
    expect(scopesOfKey({ acl: ['deleteObject'], indexes: [] })).toEqual([]);
    expect(scopesOfKey({ acl: ['browse', 'settings', 'listIndexes'], indexes: [] })).toEqual([]);
  });

  it('gives product scopes only when every index list allows the catalog', () => {
    expect(scopesOfKey({ acl: ['search', 'usage'], indexes: [['prod*']] })).toEqual(['product:read', 'usage-tracking:read']);
    expect(scopesOfKey({ acl: ['search', 'usage'], indexes: [['movies']] })).toEqual(['usage-tracking:read']);
    expect(scopesOfKey({ acl: ['search'], indexes: [['products'], ['Movies']] })).toEqual([]);
  });
});
