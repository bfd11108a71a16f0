export { startServiceHarness, json, type ServiceHarness, type ServiceHarnessOptions, type ServiceUnderTest, type DatabaseKind, type UsageStandIn } from './service-harness.js';
