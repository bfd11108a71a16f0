import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const services = ['auth', 'api-keys', 'billing', 'usage-tracking', 'settings', 'product', 'console'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.data/**', '**/coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Pages bundled for the browser.
    files: ['apps/*/storefront/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    // Project code (not the tooling configuration beside it).
    files: ['**/src/**/*.ts', '**/src/**/*.mjs', '**/test/**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      // Project boundaries: an app never imports another app, shared code never imports an
      // app, and a service's own code reaches only shared libraries.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          banTransitiveDependencies: true,
          depConstraints: [
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            ...services.map((s) => ({ sourceTag: `scope:${s}`, onlyDependOnLibsWithTags: [`scope:${s}`, 'scope:shared'] })),
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:util', 'type:feature', 'type:testing', 'type:service-testing'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:util', 'type:feature', 'type:testing'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:testing'] },
            // Test helpers may write what the wire formats of @sso/contracts say, nothing more.
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:util'] },
            // A resource service's harness builds the service with the platform and the guard library.
            { sourceTag: 'type:service-testing', onlyDependOnLibsWithTags: ['type:util', 'type:testing'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:util', 'type:testing'] },
          ],
        },
      ],
    },
  },
);
