import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ArticleInput, ArticleRow } from './articles.ts';
import { articleToMarkdown, type ParseProblem, parseMarkdownArticle } from './transfer.ts';

/**
 * Reads a folder of Markdown articles: `<dir>/<locale>/<slug>.md` (the locale folder names the
 * language unless the front matter does).
 */
export function readArticleFolder(
  dir: string,
  defaults: { status?: string } = {},
): (ArticleInput | ParseProblem)[] {
  const out: (ArticleInput | ParseProblem)[] = [];
  for (const locale of readdirSync(dir)) {
    const sub = path.join(dir, locale);
    if (!statSync(sub).isDirectory()) continue;
    for (const file of readdirSync(sub).sort()) {
      if (!file.endsWith('.md')) continue;
      out.push(
        parseMarkdownArticle(readFileSync(path.join(sub, file), 'utf8'), `${locale}/${file}`, {
          locale,
          ...defaults,
        }),
      );
    }
  }
  return out;
}

export function writeArticleFolder(dir: string, rows: ArticleRow[]): number {
  for (const row of rows) {
    const sub = path.join(dir, row.locale);
    mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, `${row.slug}.md`), articleToMarkdown(row));
  }
  return rows.length;
}
