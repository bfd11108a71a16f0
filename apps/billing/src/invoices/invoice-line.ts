/** One metric of an invoice; prices and amounts are integer minor units (cents). */
export interface InvoiceLine {
  metric: string;
  quantity: number;
  unitPrice: number;
  amount: number;
}
