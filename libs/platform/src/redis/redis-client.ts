export { createRedisClient, redactedUrl, type RedisClient, type RedisClientSettings } from '@sso/contracts';

/** The Nest token of a service's Redis client (the platform's own connection). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
