import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Browser journeys against a real `kefu start`; one at a time (each test file owns a server
// and a Chromium, and the machines have two cores).
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['e2e/**/*.e2e.ts'],
    exclude: ['**/node_modules/**'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    // The first run may build the console before starting the server.
    hookTimeout: 300_000,
    teardownTimeout: 30_000,
  },
});
