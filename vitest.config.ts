import { defineConfig } from 'vitest/config';

// Tests that open SQLite run in forked processes: better-sqlite3 is not safe across
// worker-thread teardown.
export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          pool: 'forks',
          // Some unit tests run a whole app (people, scrypt, a stream): beside the E2E run on two cores, 5 s is too tight.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          pool: 'forks',
          // Many start the real CLI or server several times; beside the E2E lane they take long.
          testTimeout: 60_000,
          // Suites that start `vedetta serve` first create its people with the real CLI.
          hookTimeout: 60_000,
          globalSetup: ['tests/support/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          pool: 'forks',
          // A story of a dozen steps, each waiting on a browser and a server, beside the unit
          // lane on two cores: CI saw one pass 60 s. Timeouts catch hangs, not slowness.
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // One Chromium at a time: the machines have two cores.
          fileParallelism: false,
          globalSetup: ['tests/e2e/support/global-setup.ts'],
          setupFiles: ['tests/e2e/support/setup.ts'],
        },
      },
    ],
  },
});
