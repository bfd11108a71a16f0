import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseIdentity } from '@sso/platform';
import { ApiKey } from '../keys/api-key.entity.js';
import { KeyWriter } from './key-writer.js';
import { ProjectionService } from './projection.service.js';
import { WriteLock } from './write-lock.js';

@Module({
  imports: [TypeOrmModule.forFeature([ApiKey, DatabaseIdentity])],
  providers: [WriteLock, ProjectionService, KeyWriter],
  exports: [WriteLock, ProjectionService, KeyWriter],
})
export class ProjectionModule {}
