// Shared jest settings: TypeScript through ts-jest (transpile only; `typecheck` does the types),
// workspace packages resolved to their sources so tests need no build (the pack test checks builds).
const path = require('node:path');

module.exports = function preset(dir) {
  return {
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.tsx?$': ['ts-jest', { diagnostics: false, tsconfig: { isolatedModules: true, module: 'commonjs', target: 'ES2022', esModuleInterop: true, resolveJsonModule: true } }],
    },
    moduleNameMapper: {
      '^@rnnkit/core/cli$': path.join(__dirname, 'packages/core/src/cli/index.ts'),
      '^@rnnkit/(core|text|sentiment|seq2seq)$': path.join(__dirname, 'packages/$1/src/index.ts'),
      '^@rnnkit/text/natural$': path.join(__dirname, 'packages/text/src/natural.ts'),
    },
    testTimeout: 120000,
  };
};
