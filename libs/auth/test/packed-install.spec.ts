import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { markProjectionsWhole, TEST_REDIS_URL, TestIssuer, waitFor } from '@sso/testing';

const WORKSPACE = fileURLToPath(new URL('../../../', import.meta.url));
const workspaceVersion = (name: string) => (JSON.parse(readFileSync(join(WORKSPACE, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies[name];

/**
 * A team's own Nest app, outside this workspace, written in plain JavaScript (decorators applied
 * with Reflect.decorate): it installs the packed guard library and guards two routes with it.
 */
const TEAM_APP = `
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthModule, CurrentPrincipal, Public, Scopes } from '@sso/auth';

class OrdersController {
  open() { return { open: true }; }
  mine(principal) { return { subject: principal.subject }; }
}
Reflect.decorate([Get('open'), Public()], OrdersController.prototype, 'open', Object.getOwnPropertyDescriptor(OrdersController.prototype, 'open'));
Reflect.decorate([Get('orders'), Scopes('orders:read')], OrdersController.prototype, 'mine', Object.getOwnPropertyDescriptor(OrdersController.prototype, 'mine'));
CurrentPrincipal()(OrdersController.prototype, 'mine', 0);
Reflect.decorate([Controller()], OrdersController);

class TeamModule {}
Reflect.decorate(
  [Module({ imports: [AuthModule.forRoot({ issuer: process.env.ISSUER, audience: 'orders', redisUrl: process.env.REDIS_URL, namespace: process.env.NAMESPACE })], controllers: [OrdersController] })],
  TeamModule,
);

const app = await NestFactory.create(TeamModule, { logger: ['error'] });
await app.listen(0, '127.0.0.1');
process.stdout.write(JSON.stringify({ port: app.getHttpServer().address().port }) + '\\n');
`;

describe('the guard library packed and installed into a Nest app outside the workspace', () => {
  const issuer = new TestIssuer();
  let folder: string;
  let app: ChildProcess | undefined;
  let url: string;

  beforeAll(async () => {
    await issuer.start();
    await issuer.addKey();
    folder = mkdtempSync(join(tmpdir(), 'sso-team-app-'));
    const tarballs = ['contracts', 'auth'].map((lib) => execFileSync('npm', ['pack', '--silent', '--pack-destination', folder], { cwd: join(WORKSPACE, 'libs', lib), encoding: 'utf8' }).trim());
    const dependencies = Object.fromEntries([
      ...tarballs.map((file) => [file.startsWith('sso-auth') ? '@sso/auth' : '@sso/contracts', `file:./${file}`]),
      ...['@nestjs/common', '@nestjs/core', '@nestjs/platform-express', '@nestjs/passport', 'reflect-metadata', 'rxjs'].map((name) => [name, workspaceVersion(name)]),
    ]);
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'team-app', private: true, type: 'module', dependencies }, null, 2));
    writeFileSync(join(folder, 'main.mjs'), TEAM_APP);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--loglevel=error'], { cwd: folder, encoding: 'utf8', timeout: 240_000 });

    // The revocation lists in Redis, as auth keeps them: present and whole (else every token is refused).
    const namespace = `test:packed:${process.pid}:`;
    markProjectionsWhole(TEST_REDIS_URL, namespace);
    app = spawn(process.execPath, ['main.mjs'], { cwd: folder, env: { PATH: process.env.PATH ?? '', ISSUER: issuer.issuer, REDIS_URL: TEST_REDIS_URL, NAMESPACE: namespace }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    app.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    app.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    await waitFor(() => /"port":\d+/.test(output) || app!.exitCode !== null, 'the team app to listen', 30_000, 50);
    const port = /"port":(\d+)/.exec(output)?.[1];
    if (!port) throw new Error(`the team app did not start:\n${output}`);
    url = `http://127.0.0.1:${port}`;
  }, 300_000);
  afterAll(async () => {
    app?.kill('SIGTERM');
    await issuer.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('installs without the database layer: neither TypeORM nor the platform comes with it', () => {
    expect(existsSync(join(folder, 'node_modules', '@sso', 'auth', 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(folder, 'node_modules', 'typeorm'))).toBe(false);
    expect(existsSync(join(folder, 'node_modules', '@sso', 'platform'))).toBe(false);
    expect(existsSync(join(folder, 'node_modules', 'pino'))).toBe(false);
  });

  it('guards the routes: public open, scoped ones need a valid token of the audience with the scope', async () => {
    const get = (path: string, token?: string) => fetch(`${url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await get('/open')).status).toBe(200);
    expect((await get('/orders')).status).toBe(401);
    const allowed = await get('/orders', await issuer.sign({ aud: ['orders'], scope: 'orders:read', sub: 'user-7' }));
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toEqual({ subject: 'user-7' });
    expect((await get('/orders', await issuer.sign({ aud: ['orders'], scope: 'orders:write' }))).status).toBe(403);
    expect((await get('/orders', await issuer.sign({ aud: ['billing'], scope: 'orders:read' }))).status).toBe(401);
  });
});
