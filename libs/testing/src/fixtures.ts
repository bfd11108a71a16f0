// The stand-ins that need no test runner, for scripts such as the benchmark: `@sso/testing/fixtures`.
export { sparePort } from './ports.js';
export { markProjectionsWhole } from './projection-markers.js';
export { startRedisServer, type TestRedisServer } from './redis-server.js';
export { TestIssuer, type TestKey } from './test-issuer.js';
export { ApiKeyWriter } from './api-key-writer.js';
