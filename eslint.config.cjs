// Lint rules for the whole workspace. The layer rules are Nx project tags enforced by
// @nx/enforce-module-boundaries: apps import only libs, apps never import each other, and
// libs/contracts stays free of NestJS, mongoose and kafkajs (analytics teams consume it).
const nx = require('@nx/eslint-plugin/nx');
const tseslint = require('typescript-eslint');
const js = require('@eslint/js');

module.exports = tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.infra/**', '.nx/**', 'tmp/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // A service's projection definitions, for its own e2e project's idempotency check; nothing else of an app.
          allow: ['^@vaops/[a-z-]+-service/src/projections$'],
          // libs/testing (real-server helpers, contract suites) uses the libs, and their specs use it.
          // Only spec files may import it: see the no-restricted-imports block below.
          ignoredCircularDependencies: [
            ['testing', 'contracts'],
            ['testing', 'event-sourcing'],
            ['testing', 'kafka'],
            ['testing', 'mongo'],
            ['testing', 'platform'],
            ['testing', 'projections'],
          ],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts'] },
            { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts'] },
            {
              sourceTag: 'type:contracts',
              onlyDependOnLibsWithTags: ['type:contracts'],
              bannedExternalImports: ['@nestjs/*', 'mongoose', 'mongodb', 'kafkajs'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-console': 'off',
    },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'bench/**/*.ts'],
    ignores: ['**/*.spec.ts', 'libs/testing/**', 'apps/*-e2e/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@vaops/testing', message: 'test support: import it from spec files only' }], patterns: [{ group: ['@vaops/testing/*'], message: 'test support: import it from spec files only' }] }],
    },
  },
  {
    files: ['**/*.cjs', '**/*.mjs', '**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', fetch: 'readonly', Buffer: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module' },
  },
);
