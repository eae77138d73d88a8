import { defineConfig } from 'vitest/config';

// The reliability suite (`npm run test:reliability`): crashes, node and database loss, hostile
// input, the authorization matrix, abuse limits. Kept apart from `npm test` because it starts
// real `kefu start` processes and kills them. Files end in `.reliability.ts` so the default
// configuration never picks them up.
export default defineConfig({
  test: {
    include: ['apps/server/test/reliability/**/*.reliability.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    // Each file starts and kills servers; two at once only fight for the two cores.
    maxWorkers: 1,
    fileParallelism: false,
    // The hostile-input test forces a collection before measuring memory.
    execArgv: ['--expose-gc'],
    testTimeout: 600_000,
    hookTimeout: 180_000,
  },
});
