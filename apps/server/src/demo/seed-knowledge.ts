import { existsSync } from 'node:fs';
import type { Deps } from '../deps.ts';
import { systemActor } from '../deps.ts';
import { readArticleFolder } from '../knowledge/folder.ts';
import { importArticles } from '../knowledge/transfer.ts';
import { serverPath } from '../paths.ts';

export const DEMO_KB_DIR = serverPath('src', 'demo', 'kb');

/** The Demo Exchange help center: every article published. */
export async function seedDemoKnowledge(deps: Deps): Promise<{ created: number; updated: number }> {
  if (!existsSync(DEMO_KB_DIR)) return { created: 0, updated: 0 };
  const entries = readArticleFolder(DEMO_KB_DIR, { status: 'published' });
  return importArticles(deps, systemActor, entries);
}
