import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Row } from './lib.ts';

const dist = fileURLToPath(new URL('../apps/widget/dist/', import.meta.url));

/** Gzipped sizes of the widget's loader and app as built (`npm run build`). */
export async function* run(): AsyncGenerator<Row> {
  for (const [file, metric, budget] of [
    ['widget.js', 'widget.loader_gzip_bytes', 5120],
    ['app.js', 'widget.app_gzip_bytes', 61440],
  ] as const) {
    const path = `${dist}${file}`;
    if (!existsSync(path)) {
      process.stderr.write(`bench widget: ${path} is not built (npm run build -w @kefu/widget)\n`);
      continue;
    }
    const bytes = readFileSync(path);
    yield {
      metric,
      value: gzipSync(bytes, { level: 9 }).length,
      unit: 'bytes',
      mode: 'embedded',
      raw_bytes: bytes.length,
      budget,
    };
  }
}
