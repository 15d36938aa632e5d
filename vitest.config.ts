import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Worker threads and the packed-tarball test load compiled JS from dist/, which vitest does
    // not transform: build it once before any test file runs.
    globalSetup: ['test/support/build.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
