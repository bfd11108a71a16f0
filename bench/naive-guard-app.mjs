// The guard a team commonly writes by hand, measured against @sso/auth (oursOverNaive):
// @nestjs/passport with passport-jwt, the key from jwks-rsa's passportJwtSecret (its own cache
// and rate limit), and a Redis GET per request for a revoked `jti`. Same routes as
// guard-app.mjs. Started by run.mjs with ISSUER and REDIS_URL; prints its port.
import 'reflect-metadata';
import { Controller, Get, Injectable, Module, UnauthorizedException, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { createClient } from 'redis';

const redis = createClient({ url: process.env.REDIS_URL });
await redis.connect();

class NaiveJwtStrategy extends PassportStrategy(Strategy) {
  constructor() {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: passportJwtSecret({ jwksUri: `${process.env.ISSUER}/.well-known/jwks.json`, cache: true, rateLimit: true, jwksRequestsPerMinute: 10 }),
      issuer: process.env.ISSUER,
      audience: 'bench',
      algorithms: ['RS256'],
    });
  }

  async validate(payload) {
    if (await redis.get(`revoked:${payload.jti}`)) throw new UnauthorizedException();
    return payload;
  }
}
Reflect.decorate([Injectable()], NaiveJwtStrategy);

class NaiveController {
  open() {
    return { ok: true };
  }
  guarded() {
    return { ok: true };
  }
}
const route = (name, ...decorators) => Reflect.decorate([Get(name), ...decorators], NaiveController.prototype, name, Object.getOwnPropertyDescriptor(NaiveController.prototype, name));
route('open');
route('guarded', UseGuards(AuthGuard('jwt')));
Reflect.decorate([Controller()], NaiveController);

class NaiveModule {}
Reflect.decorate([Module({ controllers: [NaiveController], providers: [NaiveJwtStrategy] })], NaiveModule);

const app = await NestFactory.create(NaiveModule, { logger: ['error'] });
await app.listen(0, '127.0.0.1');
process.stdout.write(`${JSON.stringify({ port: app.getHttpServer().address().port })}\n`);
process.once('SIGTERM', () => app.close().then(() => redis.quit()).then(() => process.exit(0)));
