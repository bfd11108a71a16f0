import { randomUUID } from 'node:crypto';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { SERVICE_CONFIG } from '@sso/platform';
import { DataSource, QueryFailedError, type FindOptionsWhere, type Repository } from 'typeorm';
import type { BillingConfig } from '../config.js';
import { Customer } from '../customers/customer.entity.js';
import { UsageClient } from '../usage/usage-client.js';
import { periodRange } from './billing-period.js';
import { calculateInvoice, type CalculatedInvoice } from './invoice-calculator.js';
import { Invoice } from './invoice.entity.js';

export interface InvoiceFilter {
  subject?: string;
  period?: string;
}

const invoiceExists = (subject: string, period: string, id?: string) =>
  new ConflictException({ message: `${subject} already has an invoice for ${period}${id ? ` (${id})` : ''}`, code: 'invoice_exists', error: 'Conflict' });

@Injectable()
export class InvoicesService {
  constructor(
    @InjectRepository(Invoice) private readonly invoices: Repository<Invoice>,
    private readonly dataSource: DataSource,
    private readonly usage: UsageClient,
    @Inject(SERVICE_CONFIG) private readonly config: BillingConfig,
  ) {}

  /**
   * Bills `subject` for `period` from usage-tracking's summary, read with billing's own token.
   * One invoice per subject and month: a second request is a 409 naming the first.
   */
  async create(subject: string, period: string): Promise<Invoice> {
    const existing = await this.invoices.findOneBy({ subject, period });
    if (existing) throw invoiceExists(subject, period, existing.id);
    const { from, to } = periodRange(period);
    const summary = await this.usage.summaryAsBilling(subject, from, to);
    const { lines, total } = calculateInvoice(summary.metrics, this.config.BILLING_PRICES);
    try {
      return await this.dataSource.transaction(async (manager) => {
        // The first invoice creates the customer; a concurrent one may have created it already.
        await manager.createQueryBuilder().insert().into(Customer).values({ id: randomUUID(), subject, createdAt: new Date() }).orIgnore().execute();
        const customer = await manager.findOneByOrFail(Customer, { subject });
        const invoice = manager.create(Invoice, { id: randomUUID(), customerId: customer.id, subject, period, currency: this.config.BILLING_CURRENCY, total, lines, createdAt: new Date() });
        return manager.save(invoice);
      });
    } catch (error) {
      // Two requests for the same month raced past the check above: the unique index decides.
      if (isUniqueViolation(error)) throw invoiceExists(subject, period);
      throw error;
    }
  }

  /** Lines for `subject` and `period` from usage read on the caller's behalf; nothing is stored. */
  async preview(callerToken: string, subject: string, period: string): Promise<CalculatedInvoice & { currency: string }> {
    const { from, to } = periodRange(period);
    const summary = await this.usage.summaryOnBehalfOf(callerToken, subject, from, to);
    return { ...calculateInvoice(summary.metrics, this.config.BILLING_PRICES), currency: this.config.BILLING_CURRENCY };
  }

  /** Newest first. */
  list(filter: InvoiceFilter, offset: number, limit: number): Promise<[Invoice[], number]> {
    const where: FindOptionsWhere<Invoice> = {};
    if (filter.subject !== undefined) where.subject = filter.subject;
    if (filter.period !== undefined) where.period = filter.period;
    return this.invoices.findAndCount({ where, order: { createdAt: 'DESC', id: 'DESC' }, skip: offset, take: limit });
  }

  /** The invoice, if `subject` is undefined (any subject) or owns it; otherwise as if it did not exist. */
  async get(id: string, subject?: string): Promise<Invoice> {
    const invoice = await this.invoices.findOneBy({ id });
    if (!invoice || (subject !== undefined && invoice.subject !== subject)) {
      throw new NotFoundException({ message: `no invoice ${id}`, code: 'invoice_not_found', error: 'Not Found' });
    }
    return invoice;
  }
}

function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string } | undefined;
  return driverError?.code === '23505' || driverError?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
