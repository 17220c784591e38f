module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['ts-jest', { diagnostics: false, tsconfig: { isolatedModules: true, module: 'commonjs', target: 'ES2022', esModuleInterop: true } }] },
  // one packed install for all test files (tarballs + tfjs + bundlers in a temp npm project)
  globalSetup: '<rootDir>/test/globalSetup.cjs',
  globalTeardown: '<rootDir>/test/globalTeardown.cjs',
  testTimeout: 600000,
};
