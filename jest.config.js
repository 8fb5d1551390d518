// Native ESM jest (run with --experimental-vm-modules, see package.json "test"):
// @kubernetes/client-node is ESM-only, so nothing is transformed to CommonJS.
// @swc/jest strips types and keeps `import`/`export` as they are.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'es6' },
    }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  setupFiles: ['<rootDir>/test/setup.ts'],
  testTimeout: 60000,
  // Integration suites start HTTPS servers; two workers match CI's two cores.
  maxWorkers: 2,
};
