// Lint rules for every package: the recommended JavaScript and TypeScript sets, plus the house rules
// (named exports only, no stray console in library code).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Every package lints its whole folder (`eslint .`). assembly/ is AssemblyScript, not TypeScript: its
  // `@inline` decorators on functions do not parse here; asc type-checks it when build-wasm.mjs compiles it.
  { ignores: ['**/dist/**', '**/node_modules/**', '**/generated/**', '**/coverage/**', '**/.turbo/**', '**/assembly/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-exports': ['error', { restrictDefaultExports: { direct: true, named: true, defaultFrom: true, namedFrom: true, namespaceFrom: true } }],
    },
  },
  {
    files: ['packages/*/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/cli/**'],
    rules: { 'no-console': ['error', { allow: ['warn', 'error'] }] },
  },
  {
    // Text processing matches control characters and combining marks on purpose.
    files: ['packages/text/**/*.ts'],
    rules: { 'no-control-regex': 'off', 'no-misleading-character-class': 'off' },
  },
  {
    files: ['**/*.cjs', '**/*.config.*'],
    rules: { '@typescript-eslint/no-require-imports': 'off', 'no-restricted-exports': 'off' },
  },
);
