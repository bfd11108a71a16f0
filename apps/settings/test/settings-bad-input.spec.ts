import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSettings, type SettingsHarness } from './settings-harness.js';

const nested = (depth: number): unknown => (depth === 0 ? 1 : { a: nested(depth - 1) });

describe('settings refuses bad input and changes nothing', () => {
  let settings: SettingsHarness;
  let token: string;
  let etag: string;

  beforeAll(async () => {
    settings = await startSettings('SQLite');
    token = await settings.userToken('alice');
    const created = await settings.request('PUT', '/settings/existing', token, { kept: true });
    expect(created.status).toBe(201);
    etag = created.headers.get('etag') as string;
  });
  afterAll(() => settings?.close());

  it.each<[string, string, string, unknown, Record<string, string>, number, RegExp, string]>([
    ['an array document', 'PUT', '/settings/ui', [1, 2], {}, 400, /must be a JSON object/, 'invalid_document'],
    ['an array replacing a document', 'PUT', '/settings/existing', [{ kept: false }], { 'if-match': '*' }, 400, /must be a JSON object/, 'invalid_document'],
    ['a scalar document', 'PUT', '/settings/ui', '42', {}, 400, /JSON/, 'entity.parse.failed'],
    ['null', 'PUT', '/settings/ui', 'null', {}, 400, /JSON/, 'entity.parse.failed'],
    ['malformed JSON', 'PUT', '/settings/ui', '{"theme": ', {}, 400, /JSON/, 'entity.parse.failed'],
    ['a document over 16 kB', 'PUT', '/settings/ui', { blob: 'x'.repeat(17_000) }, {}, 413, /at most 16384/, 'document_too_large'],
    ['a body over 100 kB', 'PUT', '/settings/ui', { blob: 'x'.repeat(120_000) }, {}, 413, /too large/i, 'entity.too.large'],
    ['a document nested 40 deep', 'PUT', '/settings/ui', nested(40), {}, 400, /must not nest deeper than 32/, 'invalid_document'],
    ['an upper-case namespace', 'PUT', '/settings/UI', { a: 1 }, {}, 400, /namespace must be 1 to 64 of/, 'validation_failed'],
    ['a namespace starting with a dot', 'PUT', '/settings/.hidden', { a: 1 }, {}, 400, /namespace must be/, 'validation_failed'],
    ['a namespace of 65 characters', 'PUT', `/settings/${'n'.repeat(65)}`, { a: 1 }, {}, 400, /namespace must be/, 'validation_failed'],
    ['a namespace with a space', 'PUT', '/settings/my%20ui', { a: 1 }, {}, 400, /namespace must be/, 'validation_failed'],
    ['an unknown query parameter', 'PUT', '/settings/ui?force=1', { a: 1 }, {}, 400, /property force should not exist/, 'validation_failed'],
    ['a subject with a space', 'GET', '/settings/existing?subject=a%20b', undefined, {}, 400, /subject must be 1 to 255 printable/, 'validation_failed'],
    ['a malformed If-Match', 'PUT', '/settings/existing', { a: 1 }, { 'if-match': 'no-quotes' }, 400, /is not an entity tag/, 'invalid_precondition'],
    ['both If-Match and If-None-Match', 'PUT', '/settings/existing', { a: 1 }, { 'if-match': '*', 'if-none-match': '*' }, 400, /not both/, 'invalid_precondition'],
    ['an If-None-Match other than * on a write', 'PUT', '/settings/ui', { a: 1 }, { 'if-none-match': '"abc"' }, 400, /supports only \*/, 'invalid_precondition'],
    ['a weak ETag in If-Match', 'PUT', '/settings/existing', { a: 1 }, { 'if-match': 'W/"whatever"' }, 412, /changed/, 'precondition_failed'],
    ['a form body', 'PUT', '/settings/ui', 'a=1', { 'content-type': 'application/x-www-form-urlencoded' }, 415, /application\/json/, 'unsupported_media_type'],
    ['a text body', 'PUT', '/settings/ui', '{"a":1}', { 'content-type': 'text/plain' }, 415, /application\/json/, 'unsupported_media_type'],
    ['a list with a huge limit', 'GET', '/settings?limit=100000', undefined, {}, 400, /limit must not be greater than 200/, 'validation_failed'],
    ['a list with a zero limit', 'GET', '/settings?limit=0', undefined, {}, 400, /limit must not be less than 1/, 'validation_failed'],
    ['a list with a negative offset', 'GET', '/settings?offset=-1', undefined, {}, 400, /offset must not be less than 0/, 'validation_failed'],
    ['a list with a word for an offset', 'GET', '/settings?offset=abc', undefined, {}, 400, /offset must be an integer/, 'validation_failed'],
    ['a list with a word for an offset', 'GET', '/settings?offset=first', undefined, {}, 400, /offset must be an integer/, 'validation_failed'],
    ['an unknown namespace', 'GET', '/settings/nothing-here', undefined, {}, 404, /no settings in namespace nothing-here/, 'settings_not_found'],
  ])('%s (%s %s) is refused with the contract error body and nothing changed', async (_name, method, path, body, headers, status, reason, code) => {
    const before = await settings.snapshot();
    const response = await settings.request(method, path, token, body, headers);
    expect(response.status).toBe(status);
    const answer = (await response.json()) as Record<string, unknown>;
    // Malformed and oversized bodies are refused by the platform's body parser, which sets no code ('').
    expect(answer).toEqual({ statusCode: status, error: expect.any(String), message: expect.anything(), requestId: expect.any(String), ...(code ? { code } : {}) });
    expect(JSON.stringify(answer.message)).toMatch(reason);
    expect(await settings.snapshot()).toBe(before);
    expect(await settings.rows()).toBe(1);
  });

  it('still holds the document it started with, under the same ETag', async () => {
    const read = await settings.request('GET', '/settings/existing', token);
    expect(read.headers.get('etag')).toBe(etag);
    expect(await read.json()).toEqual({ kept: true });
  });
});
