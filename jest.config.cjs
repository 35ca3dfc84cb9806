// One Jest run for the whole workspace: one global setup starts (or reuses) the real Kafka broker
// and FerretDB server that every integration and e2e test talks to.
// Test tiers are told apart by suffix: .unit.spec.ts, .int.spec.ts (real servers), .e2e.spec.ts.
const fs = require('node:fs');
const path = require('node:path');

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swcrc.$schema;

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleNameMapper: {
    // first match wins: services' own files (for their e2e projects), then the libs
    '^@vaops/([a-z-]+)-service/(.*)$': '<rootDir>/apps/$1/$2',
    // a decider spec loads only the specification, not the real-server helpers (NestJS, Kafka, Playwright)
    '^@vaops/testing/decider$': '<rootDir>/libs/testing/src/decider-specification.ts',
    // and the matching specs the worked example alone
    '^@vaops/testing/matching-example$': '<rootDir>/libs/testing/src/fixtures/matching-worked-example.ts',
    '^@vaops/(.*)$': '<rootDir>/libs/$1/src/index.ts',
  },
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: Number(process.env.JEST_WORKERS || 2),
};
