import type { Invoice } from './invoice.entity.js';
import type { InvoiceLine } from './invoice-line.js';

/** An invoice as the contract shows it. */
export interface InvoiceView {
  id: string;
  subject: string;
  period: string;
  lines: InvoiceLine[];
  total: number;
  currency: string;
  createdAt: string;
}

export function invoiceView(invoice: Invoice): InvoiceView {
  return {
    id: invoice.id,
    subject: invoice.subject,
    period: invoice.period,
    lines: invoice.lines,
    total: invoice.total,
    currency: invoice.currency,
    createdAt: invoice.createdAt.toISOString(),
  };
}
