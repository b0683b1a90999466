import { defineConfig } from 'vitest/config';

// Every test talks to the real PostgreSQL and Redis of this machine, each file in its own database
// (cloned from a migrated template) and under its own Redis key prefix.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // Generous: amid the whole suite on a slow day, steps of a second alone have taken tens.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
