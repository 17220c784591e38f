// Shared jest settings: TypeScript through ts-jest (transpile only; `typecheck` does the types),
// workspace packages resolved to their sources (the `@rnnkit/source` export condition) so tests need
// no build (the pack test checks builds).
module.exports = function preset(dir) {
  return {
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.tsx?$': ['ts-jest', { diagnostics: false, tsconfig: { isolatedModules: true, module: 'commonjs', target: 'ES2022', esModuleInterop: true, resolveJsonModule: true } }],
    },
    // Workspace packages resolve to their sources through the `@rnnkit/source` condition listed first in
    // each package's exports map (tsconfig.base.json's customConditions does the same for tsc).
    testEnvironmentOptions: { customExportConditions: ['@rnnkit/source', 'node', 'node-addons'] },
    testTimeout: 120000,
  };
};
