import { describe, expect, it } from '@jest/globals';
import { periodRange } from './billing-period.js';
import { calculateInvoice } from './invoice-calculator.js';

describe('calculateInvoice', () => {
  it('prices every metric in minor units, lists unpriced metrics at 0, sorted by name', () => {
    expect(calculateInvoice({ 'settings.writes': 4, 'product.requests': 1_234 }, { 'product.requests': 3, 'unused.metric': 99 })).toEqual({
      lines: [
        { metric: 'product.requests', quantity: 1_234, unitPrice: 3, amount: 3_702 },
        { metric: 'settings.writes', quantity: 4, unitPrice: 0, amount: 0 },
      ],
      total: 3_702,
    });
  });

  it('bills nothing for no usage', () => {
    expect(calculateInvoice({}, { 'product.requests': 3 })).toEqual({ lines: [], total: 0 });
  });

  it('keeps amounts integers when a quantity is fractional', () => {
    expect(calculateInvoice({ 'storage.gb': 1.5 }, { 'storage.gb': 3 }).total).toBe(5);
  });
});

describe('periodRange', () => {
  it.each([
    ['2026-10', '2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z'],
    ['2026-12', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['2028-02', '2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z'],
  ])('%s is [%s, %s)', (period, from, to) => {
    expect(periodRange(period)).toEqual({ from, to });
  });
});
