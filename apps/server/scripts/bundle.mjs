import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const SERVER_BUNDLE = fileURLToPath(new URL('../dist/kefu.mjs', import.meta.url));

/**
 * Bundles the server's TypeScript, and @kefu/shared's, into one ES module at `outfile` (inside
 * the server package, so its npm packages resolve); npm packages stay imports.
 */
export async function bundleServer(outfile = SERVER_BUNDLE) {
  await build({
    entryPoints: [fileURLToPath(new URL('../src/cli.ts', import.meta.url))],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    legalComments: 'none',
    plugins: [
      {
        name: 'packages-stay-imports',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@kefu/') ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
}
