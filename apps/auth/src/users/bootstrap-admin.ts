import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SERVICE_CONFIG, withAdvisoryLock } from '@sso/platform';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthConfig } from '../config.js';
import { allScopes } from '../tokens/scope-request.js';
import { UsersService } from './users.service.js';

/** The first administrator, created when no user exists, with every scope of the ecosystem. */
@Injectable()
export class BootstrapAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger('BootstrapAdmin');

  constructor(
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: AuthConfig,
  ) {}

  /** Replicas starting at once on an empty database take turns: the first creates, the others find a user. */
  async onApplicationBootstrap(): Promise<void> {
    await withAdvisoryLock(this.dataSource, 'sso:bootstrap-admin', async () => {
      if ((await this.users.count()) > 0) return;
      const user = await this.users.create(this.config.AUTH_ADMIN_USERNAME, this.config.AUTH_ADMIN_PASSWORD, allScopes(this.config.AUTH_AUDIENCES));
      await this.audit.record({ type: 'user.created', subject: user.id, actor: 'bootstrap', details: { username: user.username, scopes: user.scopes } });
      this.logger.log(`created the administrator ${user.username}`);
    });
  }
}
