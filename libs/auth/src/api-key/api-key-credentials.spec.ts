import { describe, expect, it } from '@jest/globals';
import { apiKeyCredentialsOf } from './api-key-credentials.js';

const headers = { 'x-algolia-api-key': 'header-key', 'x-algolia-application-id': 'HEADERAPP' };
const query = { 'x-algolia-api-key': 'query-key', 'x-algolia-application-id': 'QUERYAPP' };

describe('apiKeyCredentialsOf', () => {
  it('reads the headers, whatever the route accepts', () => {
    expect(apiKeyCredentialsOf({ headers }, false)).toEqual({ key: 'header-key', applicationId: 'HEADERAPP' });
    expect(apiKeyCredentialsOf({ headers, query }, true)).toEqual({ key: 'header-key', applicationId: 'HEADERAPP' });
  });

  it('reads the query string only where the route accepts keys there', () => {
    expect(apiKeyCredentialsOf({ headers: {}, query }, true)).toEqual({ key: 'query-key', applicationId: 'QUERYAPP' });
    expect(apiKeyCredentialsOf({ headers: {}, query }, false)).toBeUndefined();
  });

  it('never mixes a key of one place with the application id of the other', () => {
    expect(apiKeyCredentialsOf({ headers: { 'x-algolia-api-key': 'header-key' }, query }, true)).toEqual({ key: 'header-key', applicationId: undefined });
    expect(apiKeyCredentialsOf({ headers: { 'x-algolia-application-id': 'HEADERAPP' }, query: { 'x-algolia-api-key': 'query-key' } }, true)).toEqual({ key: 'query-key', applicationId: undefined });
  });

  it('counts a value sent twice as not sent', () => {
    expect(apiKeyCredentialsOf({ headers: {}, query: { 'x-algolia-api-key': ['one', 'two'] } }, true)).toBeUndefined();
    expect(apiKeyCredentialsOf({ headers: { 'x-algolia-api-key': ['one', 'two'] }, query }, true)).toBeUndefined();
    expect(apiKeyCredentialsOf({ headers: {}, query: { ...query, 'x-algolia-application-id': ['A', 'B'] } }, true)).toEqual({ key: 'query-key', applicationId: undefined });
  });

  it('finds nothing without a key', () => {
    expect(apiKeyCredentialsOf({ headers: {} }, true)).toBeUndefined();
    expect(apiKeyCredentialsOf({ headers: {}, query: 'x-algolia-api-key=k' }, true)).toBeUndefined();
  });
});
