import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { ProjectionModule } from '../projection/projection.module.js';
import { GuardReports } from './guard-reports.js';
import { KeyMaintenance } from './key-maintenance.js';
import { KeyRetention } from './key-retention.js';

@Module({
  imports: [ProjectionModule, AuditModule],
  providers: [KeyRetention, GuardReports, KeyMaintenance],
  exports: [KeyMaintenance],
})
export class MaintenanceModule {}
