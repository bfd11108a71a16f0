import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { AuthModule, type AuthModuleOptions } from '../../src/index.js';
import { createServiceApp, loadServiceConfig, PlatformModule } from '@sso/platform';
import { DEFAULT_REVOCATION_NAMESPACE } from '@sso/contracts';
import { captureLogs, createTestEnv, listenOnLoopback, markProjectionsWhole } from '@sso/testing';
import { ThingsController } from './things.controller.js';

@Module({})
class TestAppModule {}

export interface TestApp {
  app: INestApplication;
  url: string;
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * A `billing` service built as the real ones are (platform + AuthModule) with test routes. The
 * projections of `auth.namespace` are marked whole first, as their owners would have, unless
 * `markWhole` is false (Redis down, or the test marks them itself).
 */
export async function startTestApp(auth: AuthModuleOptions, authModule?: DynamicModule, { markWhole = true } = {}): Promise<TestApp> {
  if (markWhole) markProjectionsWhole(auth.redisUrl, auth.namespace ?? DEFAULT_REVOCATION_NAMESPACE);
  const testEnv = createTestEnv({ REDIS_URL: auth.redisUrl, LOG_LEVEL: 'warn' }, { projectionsWhole: false });
  const config = loadServiceConfig({ service: 'billing', defaultPort: 0 }, testEnv.env);
  const logs = captureLogs();
  const module: DynamicModule = {
    module: TestAppModule,
    imports: [PlatformModule.forRoot({ config }), authModule ?? AuthModule.forRoot(auth)],
    controllers: [ThingsController],
  };
  const { app } = await createServiceApp({ module, config, description: 'test', logDestination: logs.destination });
  const url = await listenOnLoopback(app);
  return {
    app,
    url,
    logs: logs.lines,
    close: async () => {
      await app.close();
      testEnv.cleanup();
    },
  };
}
