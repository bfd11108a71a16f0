import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { loadConsoleConfig } from './config.js';

let config;
try {
  config = loadConsoleConfig(process.env);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { logger: ['error', 'warn', 'log'] });
app.disable('x-powered-by');
app.enableShutdownHooks();
await app.listen(config.PORT, config.HOST);
process.stdout.write(`console listening on ${config.HOST}:${config.PORT}, signing in through ${config.AUTH_ISSUER}\n`);
