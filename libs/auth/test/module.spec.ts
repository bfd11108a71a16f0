import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TEST_REDIS_URL } from '@sso/testing';
import { AuthModule, findUnprotectedRoutes, Public, Scopes, TokenVerifier } from '../src/index.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { TestIssuer } from '@sso/testing';

const AUTH_CONFIG = Symbol('AUTH_CONFIG');

@Module({ providers: [{ provide: AUTH_CONFIG, useValue: { issuer: 'http://auth.internal:3000', redisUrl: TEST_REDIS_URL } }], exports: [AUTH_CONFIG] })
class ConfigModule {}

@Controller('forgotten')
class ForgottenController {
  @Get()
  list(): void {}
  @Post(':id')
  @Public()
  open(): void {}
  @Get(['a', 'b'])
  @Scopes('billing:read')
  guarded(): void {}
  @Get('also')
  alsoForgotten(): void {}
}

describe('AuthModule wiring', () => {
  const issuer = new TestIssuer();
  let service: TestApp;

  beforeAll(async () => {
    await issuer.start();
    await issuer.addKey();
    const namespace = `test:auth:${randomUUID()}:`;
    service = await startTestApp(
      { issuer: '', audience: '', redisUrl: TEST_REDIS_URL, namespace },
      AuthModule.forRootAsync({
        imports: [ConfigModule],
        inject: [AUTH_CONFIG],
        useFactory: (config: { redisUrl: string }) => ({ issuer: issuer.issuer, audience: 'billing', redisUrl: config.redisUrl, namespace }),
      }),
    );
  });
  afterAll(async () => {
    await service?.close();
    await issuer.close();
  });

  it('forRootAsync builds the options from injected configuration and guards every route', async () => {
    expect((await fetch(`${service.url}/things`)).status).toBe(401);
    expect((await fetch(`${service.url}/things`, { headers: { authorization: `Bearer ${await issuer.sign()}` } })).status).toBe(200);
    expect(service.app.get(TokenVerifier)).toBeInstanceOf(TokenVerifier);
  });

  it('leaves /health, /metrics, /docs and unknown routes to the platform', async () => {
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${service.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${service.url}/docs-json`)).status).toBe(200);
    expect((await fetch(`${service.url}/no/such/route`)).status).toBe(404);
  });

  it('findUnprotectedRoutes finds nothing in a service whose routes all decide', () => {
    expect(findUnprotectedRoutes(service.app)).toEqual([]);
  });

  it('findUnprotectedRoutes names each route that is neither public nor scoped', async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ForgottenController] }).compile();
    expect(findUnprotectedRoutes(moduleRef)).toEqual(['GET /forgotten (ForgottenController.list)', 'GET /forgotten/also (ForgottenController.alsoForgotten)']);
    await moduleRef.close();
  });

  it('refuses unsafe options at start, naming them', async () => {
    const building = Test.createTestingModule({ imports: [AuthModule.forRoot({ issuer: 'http://x', audience: 'billing', redisUrl: TEST_REDIS_URL, clockToleranceSeconds: 300 })] }).compile();
    await expect(building).rejects.toThrow(/clockToleranceSeconds must be an integer from 0 to 60/);
  });
});
