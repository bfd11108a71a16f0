export { sparePort } from './ports.js';
export { createTestEnv, TEST_REDIS_URL, TEST_POSTGRES_URL, type TestEnv } from './test-env.js';
export { captureLogs, listenOnLoopback, type CapturedLogs } from './service-app.js';
export { createTestDatabase, type TestDatabase } from './test-database.js';
export { startRedisServer, type TestRedisServer } from './redis-server.js';
export { waitFor } from './wait-for.js';
export { expectServiceBasics } from './service-basics.js';
export { TestIssuer, type TestKey, type SignOptions } from './test-issuer.js';
export { authStandIn, usageStandIn, claimsOf, StandIn, type RecordedRequest } from './stand-ins.js';
