import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { textJsonBody } from '@sso/platform';
import { AuditModule } from '../audit/audit.module.js';
import { keyPathRedactionProvider } from '../http/key-path-redaction.js';
import { ProjectionModule } from '../projection/projection.module.js';
import { ApiKey } from './api-key.entity.js';
import { KeySecrets } from './key-secrets.js';
import { KeysController } from './keys.controller.js';
import { KeysService } from './keys.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([ApiKey]), ProjectionModule, AuditModule],
  controllers: [KeysController],
  providers: [KeysService, KeySecrets, keyPathRedactionProvider],
})
export class KeysModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(textJsonBody('100kb')).forRoutes(KeysController);
  }
}
