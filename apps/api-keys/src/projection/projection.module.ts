import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKey } from '../keys/api-key.entity.js';
import { KeyWriter } from './key-writer.js';
import { ProjectionSource } from './projection-source.entity.js';
import { ProjectionService } from './projection.service.js';
import { WriteLock } from './write-lock.js';

@Module({
  imports: [TypeOrmModule.forFeature([ApiKey, ProjectionSource])],
  providers: [WriteLock, ProjectionService, KeyWriter],
  exports: [WriteLock, ProjectionService, KeyWriter],
})
export class ProjectionModule {}
