import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { ConfigError } from './config/config-error.js';
import type { PlatformConfig } from './config/load-config.js';
import { requestContextMiddleware } from './http/request-context.js';
import { accessLogMiddleware } from './logging/access-log.middleware.js';
import { createLogger, PinoNestLogger } from './logging/logger.js';
import { MetricsService } from './metrics/metrics.service.js';
import { setupOpenApi } from './openapi/openapi.js';

export interface ServiceDefinition {
  /** The root module, importing PlatformModule.forRoot(...). */
  module: DynamicModule;
  config: PlatformConfig;
  /** One line for the OpenAPI document. */
  description: string;
  /** Where log lines go; standard output when omitted. */
  logDestination?: Parameters<typeof createLogger>[2];
}

export interface ServiceApp {
  app: NestExpressApplication;
  logger: Logger;
}

/** Builds a service exactly as it runs, without listening: main.ts and the tests share it. */
export async function createServiceApp({ module, config, description, logDestination }: ServiceDefinition): Promise<ServiceApp> {
  const logger = createLogger(config.service, config.LOG_LEVEL, logDestination);
  const app = await NestFactory.create<NestExpressApplication>(module, { logger: new PinoNestLogger(logger), abortOnError: false });
  app.disable('x-powered-by');
  // Without trusted proxies, req.ip is the peer's address and X-Forwarded-For is ignored.
  app.set('trust proxy', config.TRUSTED_PROXIES.length > 0 ? config.TRUSTED_PROXIES : false);
  // Order matters: the request id first, so every later line and error carries it.
  app.use(requestContextMiddleware);
  app.use(accessLogMiddleware(logger));
  app.use(app.get(MetricsService).middleware);
  app.useBodyParser('json', { limit: '100kb' });
  app.useBodyParser('urlencoded', { limit: '100kb', extended: false });
  setupOpenApi(app, config.service, description);
  return { app, logger };
}

/**
 * Starts a service: listens on its port and, on SIGTERM or SIGINT, stops accepting
 * connections, lets in-flight requests finish, then closes the database and Redis.
 */
export async function runService(definition: ServiceDefinition): Promise<ServiceApp> {
  const started = await createServiceApp(definition);
  const { app, logger } = started;
  const { config } = definition;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown took too long; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
    app.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: Error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await app.listen(config.PORT, config.HOST);
  logger.info({ port: config.PORT, host: config.HOST }, `${config.service} service listening`);
  return started;
}

export interface ServiceEntry<Config extends PlatformConfig> {
  /** Reads and validates the configuration (throws ConfigError). */
  loadConfig: () => Config;
  module: (config: Config) => DynamicModule;
  description: string;
}

/**
 * What a service's main.ts calls: a configuration error ends the process with status 1 and a
 * message naming each variable at fault; so does a failure to start (port taken, database down).
 */
export async function startService<Config extends PlatformConfig>(entry: ServiceEntry<Config>): Promise<void> {
  let config: Config;
  try {
    config = entry.loadConfig();
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  }
  try {
    await runService({ module: entry.module(config), config, description: entry.description });
  } catch (error) {
    process.stderr.write(`The ${config.service} service could not start: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
