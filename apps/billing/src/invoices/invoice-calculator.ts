import type { InvoiceLine } from './invoice-line.js';

export interface CalculatedInvoice {
  lines: InvoiceLine[];
  total: number;
}

/**
 * Prices a month of usage. Every metric the summary reports becomes a line, sorted by name;
 * a metric without a configured price is listed at unit price 0, so the customer sees all
 * usage and adding a price later changes amounts only. Amounts are integer minor units.
 */
export function calculateInvoice(metrics: Record<string, number>, prices: Record<string, number>): CalculatedInvoice {
  const lines = Object.keys(metrics)
    .sort()
    .map((metric) => {
      const quantity = metrics[metric];
      const unitPrice = prices[metric] ?? 0;
      return { metric, quantity, unitPrice, amount: Math.round(quantity * unitPrice) };
    });
  return { lines, total: lines.reduce((sum, line) => sum + line.amount, 0) };
}
