import { describe, expect, it } from '@jest/globals';
import { withTimeout } from './redis-client.js';

describe('withTimeout', () => {
  it('passes on what settles in time', async () => {
    await expect(withTimeout(Promise.resolve('pong'), 50, 'PING')).resolves.toBe('pong');
    await expect(withTimeout(Promise.reject(new Error('refused')), 50, 'PING')).rejects.toThrow('refused');
  });

  it('rejects, naming the command, what never answers', async () => {
    await expect(withTimeout(new Promise(() => undefined), 20, 'PING')).rejects.toThrow('PING did not answer within 20 ms');
  });
});
