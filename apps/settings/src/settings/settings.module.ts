import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SettingsDocument } from './settings-document.entity.js';
import { SettingsController } from './settings.controller.js';
import { SettingsService } from './settings.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([SettingsDocument])],
  controllers: [SettingsController],
  providers: [SettingsService],
})
export class SettingsModule {}
