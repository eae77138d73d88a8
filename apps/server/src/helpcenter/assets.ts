import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { serverPath } from '../paths.ts';

export const HELP_PUBLIC_DIR = serverPath('src', 'helpcenter', 'public');

export type HelpAsset = {
  name: string;
  contentType: string;
  body: Buffer;
  /** Short content hash: part of the URL, so a changed file is a new URL and may be cached for good. */
  version: string;
};

const TYPES: Record<string, string> = {
  'help.css': 'text/css; charset=utf-8',
  'help.js': 'text/javascript; charset=utf-8',
};

/**
 * What is sent of a source file: without comments, indentation and (CSS) spaces around
 * punctuation. Enough for these two hand-written files; not a general minifier (the JS must
 * keep to one statement piece per line and no multi-line strings).
 */
export function compactAsset(name: string, source: string): string {
  if (name.endsWith('.css'))
    return (
      source
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\s+/g, ' ')
        .replace(/\s*([{};,>])\s*/g, '$1')
        // Not before a colon: `.a :is(…)` is a descendant selector.
        .replace(/:\s+/g, ':')
        .replace(/;}/g, '}')
        .trim()
    );
  return source
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('//'))
    .join('\n');
}

/** The help center's CSS and JS, read once: a few kilobytes kept in memory. */
export function loadHelpAssets(dir = HELP_PUBLIC_DIR): Map<string, HelpAsset> {
  const assets = new Map<string, HelpAsset>();
  for (const [name, contentType] of Object.entries(TYPES)) {
    const body = Buffer.from(compactAsset(name, readFileSync(`${dir}/${name}`, 'utf8')));
    const version = createHash('sha256').update(body).digest('hex').slice(0, 12);
    assets.set(name, { name, contentType, body, version });
  }
  return assets;
}

/** `/help/assets/help.css?v=…` */
export function assetUrl(assets: Map<string, HelpAsset>, name: string): string {
  const asset = assets.get(name);
  return `/help/assets/${name}${asset ? `?v=${asset.version}` : ''}`;
}
