import { describe, expect, it } from '@jest/globals';
import type { ApiKeyRecord } from '@sso/contracts';
import { apiKeyRecord } from '@sso/testing';
import { ApiKeyState } from './api-key-state.js';

const record = (version: number, deletedAt: number | null = null): ApiKeyRecord => ({ ...apiKeyRecord({ id: 'key-1', deletedAt, version }), v: 1 });

describe('ApiKeyState', () => {
  it('keeps the later version of a key, from events and merges alike', () => {
    const state = new ApiKeyState();
    state.apply({ hash: 'h', record: record(2, 100) });
    state.apply({ hash: 'h', record: record(1) });
    expect(state.get('h')?.deletedAt).toBe(100);
    const loaded = new ApiKeyState();
    loaded.apply({ hash: 'h', record: record(1) });
    loaded.apply({ hash: 'other', record: record(5) });
    state.merge(loaded);
    expect(state.get('h')?.deletedAt).toBe(100);
    expect(state.get('other')).toBeDefined();
    state.apply({ hash: 'h', record: record(3) });
    expect(state.get('h')?.deletedAt).toBeNull();
  });

  it('drops a purged key whatever its version', () => {
    const state = new ApiKeyState();
    state.apply({ hash: 'h', record: record(9) });
    state.apply({ hash: 'h', record: null });
    expect(state.get('h')).toBeUndefined();
  });
});
