import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const HELP_PUBLIC_DIR = fileURLToPath(new URL('./public', import.meta.url));

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

/** The help center's CSS and JS, read once: a few kilobytes kept in memory. */
export function loadHelpAssets(dir = HELP_PUBLIC_DIR): Map<string, HelpAsset> {
  const assets = new Map<string, HelpAsset>();
  for (const [name, contentType] of Object.entries(TYPES)) {
    const body = readFileSync(`${dir}/${name}`);
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
