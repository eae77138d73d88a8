import { readFileSync } from 'node:fs';
import { serverPath } from './paths.ts';

export const VERSION: string = (
  JSON.parse(readFileSync(serverPath('package.json'), 'utf8')) as {
    version: string;
  }
).version;
