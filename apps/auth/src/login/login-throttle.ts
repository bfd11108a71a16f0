import { HttpException, HttpStatus, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { REDIS_CLIENT, SERVICE_CONFIG, withTimeout, type RedisClient, type WithResponseHeaders } from '@sso/platform';
import type { AuthConfig } from '../config.js';

/**
 * Counts an attempt for the username and for the client IP, and says whether it may proceed,
 * in one atomic step: however many attempts race, no more than the limit are ever evaluated.
 * Returns {allowed, retryAfterSeconds}.
 */
const CONSUME = `
local user = redis.call('INCR', KEYS[1])
if user == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local ip = redis.call('INCR', KEYS[2])
if ip == 1 then redis.call('EXPIRE', KEYS[2], ARGV[1]) end
if user > tonumber(ARGV[2]) then return {0, redis.call('TTL', KEYS[1])} end
if ip > tonumber(ARGV[3]) then return {0, redis.call('TTL', KEYS[2])} end
return {1, 0}
`;

export class TooManyAttemptsException extends HttpException implements WithResponseHeaders {
  readonly responseHeaders: Record<string, string>;

  constructor(retryAfterSeconds: number) {
    super({ message: 'too many login attempts; try again later', code: 'too_many_attempts', error: 'Too Many Requests' }, HttpStatus.TOO_MANY_REQUESTS);
    this.responseHeaders = { 'Retry-After': String(retryAfterSeconds) };
  }
}

@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(SERVICE_CONFIG) private readonly config: AuthConfig,
  ) {}

  /** Throws TooManyAttemptsException when the username or the IP is over its limit. */
  async consume(username: string, ip: string): Promise<void> {
    const [allowed, retryAfter] = await this.guarded(
      () =>
        this.redis.eval(CONSUME, {
          keys: this.keys(username, ip),
          arguments: [String(this.config.AUTH_LOGIN_WINDOW_SECONDS), String(this.config.AUTH_LOGIN_MAX_FAILURES_PER_USER), String(this.config.AUTH_LOGIN_MAX_ATTEMPTS_PER_IP)],
        }) as Promise<[number, number]>,
    );
    if (allowed !== 1) throw new TooManyAttemptsException(Math.max(retryAfter, 1));
  }

  /** A successful login clears the username's failures and gives its attempt back to the IP. */
  async succeeded(username: string, ip: string): Promise<void> {
    const [userKey, ipKey] = this.keys(username, ip);
    await this.guarded(() => this.redis.multi().del(userKey).decr(ipKey).exec());
  }

  private keys(username: string, ip: string): [string, string] {
    const ns = this.config.REDIS_NAMESPACE;
    return [`${ns}login:user:${username.toLowerCase()}`, `${ns}login:ip:${ip}`];
  }

  // Without the counters, brute force could not be bounded: refuse to evaluate passwords.
  private async guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      // Bounded here: node-redis stops timing a command once it is written to the socket.
      return await withTimeout(work(), 2_000, 'Redis');
    } catch {
      throw new ServiceUnavailableException({ message: 'login is unavailable: the attempt counters cannot be reached', code: 'throttle_unavailable' });
    }
  }
}
