import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['apps/*/src/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'e2e/**'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores here: more workers only queue on the CPU.
    maxWorkers: 2,
    // The test CA (read when a worker starts): local TLS servers in the tests use certificates
    // it issued, so Kefu verifies them as it verifies a real mail server's.
    env: {
      NODE_EXTRA_CA_CERTS: fileURLToPath(
        new URL('./apps/server/test/fixtures/tls/ca.pem', import.meta.url),
      ),
    },
  },
});
