import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Customer } from '../customers/customer.entity.js';
import { UsageClient } from '../usage/usage-client.js';
import { Invoice } from './invoice.entity.js';
import { InvoicesController } from './invoices.controller.js';
import { InvoicesService } from './invoices.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Customer, Invoice])],
  controllers: [InvoicesController],
  providers: [InvoicesService, UsageClient],
})
export class InvoicesModule {}
