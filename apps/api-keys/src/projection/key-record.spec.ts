import { describe, expect, it } from '@jest/globals';
import { changeTime } from './key-record.js';

describe('changeTime', () => {
  const at = (ms: number) => ({ updatedAt: new Date(ms) });

  it('is now when the last change is older', () => {
    expect(changeTime(at(1_000), new Date(5_000)).getTime()).toBe(5_000);
  });

  it('is still later than the last change within one millisecond, or when this clock lags the writer of the last one', () => {
    expect(changeTime(at(5_000), new Date(5_000)).getTime()).toBe(5_001);
    expect(changeTime(at(9_000), new Date(5_000)).getTime()).toBe(9_001);
  });
});
