// The app the benchmark measures: a bare Nest app (no @sso/platform) guarded by @sso/auth, as a
// team would write it. Three twins of one handler: public, token-guarded, API-key-guarded.
// Started by run.mjs with ISSUER, REDIS_URL, NAMESPACE and API_KEYS_SECRET; prints its port.
// On Express, or on Fastify with ADAPTER=fastify.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AllowApiKey, AuthModule, Public, Scopes } from '@sso/auth';

class BenchController {
  open() {
    return { ok: true };
  }
  guarded() {
    return { ok: true };
  }
  keyed() {
    return { ok: true };
  }
}
const route = (name, ...decorators) => Reflect.decorate([Get(name), ...decorators], BenchController.prototype, name, Object.getOwnPropertyDescriptor(BenchController.prototype, name));
route('open', Public());
route('guarded', Scopes('bench:read'));
route('keyed', AllowApiKey('search'));
Reflect.decorate([Controller()], BenchController);

class BenchModule {}
Reflect.decorate(
  [
    Module({
      imports: [
        AuthModule.forRoot({
          issuer: process.env.ISSUER,
          audience: 'bench',
          ...(process.env.TOKEN_CACHE_SIZE ? { tokenCacheSize: Number(process.env.TOKEN_CACHE_SIZE) } : {}),
          redisUrl: process.env.REDIS_URL,
          namespace: process.env.NAMESPACE,
          apiKeys: { applicationId: 'SSODEMO', encryptionSecret: process.env.API_KEYS_SECRET },
        }),
      ],
      controllers: [BenchController],
    }),
  ],
  BenchModule,
);

const adapter = process.env.ADAPTER === 'fastify' ? new (await import('@nestjs/platform-fastify')).FastifyAdapter() : undefined;
const app = adapter ? await NestFactory.create(BenchModule, adapter, { logger: ['error'] }) : await NestFactory.create(BenchModule, { logger: ['error'] });
await app.listen(0, '127.0.0.1');
process.stdout.write(`${JSON.stringify({ port: app.getHttpServer().address().port })}\n`);
// A clean exit on SIGTERM, so that a run under --cpu-prof writes its profile.
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
