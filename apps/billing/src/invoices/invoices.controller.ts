import { BadRequestException, Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Scopes, type Principal, actsOnAnySubject, subjectFor } from '@sso/auth';
import { ApiPageResponse, pageOf, type Page } from '@sso/platform';
import { BearerToken } from './bearer-token.decorator.js';
import { CreateInvoiceDto } from './dto/create-invoice.dto.js';
import { ListInvoicesQuery } from './dto/list-invoices.query.js';
import { PreviewQuery } from './dto/preview-query.dto.js';
import type { InvoiceLine } from './invoice-line.js';
import { invoiceView, type InvoiceView } from './invoice-view.js';
import { InvoicesService } from './invoices.service.js';

/** Lets a user token act on any subject's invoices. */
const BILLING_ADMIN = 'billing:admin';

// Shaped like the validation pipe's answer, so every bad input reads the same.
const uuid = new ParseUUIDPipe({ version: '4', exceptionFactory: () => new BadRequestException({ message: ['id must be a UUID'], code: 'validation_failed', error: 'Bad Request' }) });

export interface InvoicePreview {
  subject: string;
  period: string;
  lines: InvoiceLine[];
  total: number;
  currency: string;
}

@ApiTags('invoices')
@ApiBearerAuth()
@Controller('invoices')
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  @Get()
  @Scopes('billing:read')
  @ApiOperation({ summary: "The caller's invoices, newest first (every subject's for a service or billing:admin)" })
  @ApiPageResponse()
  async list(@Query() query: ListInvoicesQuery, @CurrentPrincipal() principal: Principal): Promise<Page<InvoiceView>> {
    const subject = actsOnAnySubject(principal, BILLING_ADMIN) ? query.subject : principal.subject;
    // A user filtering on someone else gets an empty page, not a hint that the subject exists.
    if (query.subject !== undefined && subject !== query.subject) return pageOf([], 0, query);
    const [items, total] = await this.invoices.list({ subject, period: query.period }, query.offset, query.limit);
    return pageOf(items.map(invoiceView), total, query);
  }

  @Get('preview')
  @Scopes('billing:read')
  @ApiOperation({ summary: "The caller's invoice lines for a month so far, read from usage-tracking on the caller's behalf; nothing is stored" })
  async preview(@Query() query: PreviewQuery, @CurrentPrincipal() principal: Principal, @BearerToken() token: string): Promise<InvoicePreview> {
    const computed = await this.invoices.preview(token, principal.subject, query.period);
    return { subject: principal.subject, period: query.period, ...computed };
  }

  @Get(':id')
  @Scopes('billing:read')
  async get(@Param('id', uuid) id: string, @CurrentPrincipal() principal: Principal): Promise<InvoiceView> {
    return invoiceView(await this.invoices.get(id, actsOnAnySubject(principal, BILLING_ADMIN) ? undefined : principal.subject));
  }

  @Post()
  @Scopes('billing:write')
  @ApiOperation({ summary: 'Bill a subject (the caller by default) for a month from its usage' })
  async create(@Body() body: CreateInvoiceDto, @CurrentPrincipal() principal: Principal): Promise<InvoiceView> {
    return invoiceView(await this.invoices.create(subjectFor(principal, body.subject, BILLING_ADMIN), body.period));
  }
}
