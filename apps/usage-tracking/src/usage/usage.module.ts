import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsageEvent } from './usage-event.entity.js';
import { UsageEventsPipe } from './usage-events.pipe.js';
import { UsageController } from './usage.controller.js';
import { UsageService } from './usage.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([UsageEvent])],
  controllers: [UsageController],
  providers: [UsageService, UsageEventsPipe],
})
export class UsageModule {}
