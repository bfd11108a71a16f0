// Shared Jest settings: ESM mode (Nest 12 is ESM) with the @swc/jest transform.
// Workspace libraries resolve to their TypeScript sources through the "@sso/source"
// export condition, so tests never need a prior build.
/** How TypeScript is transpiled for tests (and benchmarks run from sources): decorator metadata included, or Nest and TypeORM see no types. */
export const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

export const jestPreset = {
  testEnvironment: 'node',
  testEnvironmentOptions: { customExportConditions: ['@sso/source', 'node', 'node-addons'] },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['@swc/jest', swcOptions] },
  testTimeout: 30000,
};
