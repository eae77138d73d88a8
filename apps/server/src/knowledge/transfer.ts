import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as toCsv } from 'csv-stringify/sync';
import { and, eq, or } from 'drizzle-orm';
import matter from 'gray-matter';
import { z } from 'zod';
import type { Actor, Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { type ArticleInput, type ArticleRow, createArticles, updateArticle } from './articles.ts';
import { articles } from './schema.ts';
import type { KnowledgeIndex } from './search-index.ts';

export const ZArticleFields = z.strictObject({
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'slug: lowercase letters, digits and dashes')
    .max(120),
  locale: z.enum(['zh-CN', 'en']),
  title: z.string().trim().min(1, 'title is empty').max(200),
  summary: z.string().trim().max(1000).default(''),
  body: z.string().min(1, 'body is empty').max(100_000),
  category: z.string().trim().min(1).max(60),
  tags: z.array(z.string().trim().min(1).max(40)).max(30).default([]),
  intents: z.array(z.string().trim().min(1).max(60)).max(10).default([]),
  status: z.enum(['draft', 'published']).default('draft'),
});

/** One article as a Markdown file with YAML front matter (the import/export format). */
export function articleToMarkdown(row: ArticleRow): string {
  return matter.stringify(`${row.body.trim()}\n`, {
    slug: row.slug,
    locale: row.locale,
    title: row.title,
    category: row.category,
    tags: row.tags,
    intents: row.intents,
    status: row.status,
    summary: row.summary,
  });
}

export type ParseProblem = { file: string; message: string };

export function parseMarkdownArticle(
  content: string,
  file: string,
  defaults: { locale?: string; status?: string } = {},
): ArticleInput | ParseProblem {
  let parsed: matter.GrayMatterFile<string>;
  try {
    parsed = matter(content);
  } catch (error) {
    return {
      file,
      message: `front matter: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const data = parsed.data as Record<string, unknown>;
  const result = ZArticleFields.safeParse({
    slug: data.slug ?? file.replace(/^.*\//, '').replace(/\.md$/i, ''),
    locale: data.locale ?? defaults.locale,
    title: data.title,
    summary: data.summary ?? '',
    body: parsed.content.trim(),
    category: data.category,
    tags: data.tags ?? [],
    intents: data.intents ?? [],
    status: data.status ?? defaults.status ?? 'draft',
  });
  if (!result.success)
    return {
      file,
      message: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    };
  return result.data;
}

const CSV_COLUMNS = [
  'slug',
  'locale',
  'title',
  'summary',
  'category',
  'tags',
  'intents',
  'status',
  'body',
] as const;

export function articlesToCsv(rows: ArticleRow[]): string {
  return toCsv(
    rows.map((r) => [
      r.slug,
      r.locale,
      r.title,
      r.summary,
      r.category,
      r.tags.join('|'),
      r.intents.join('|'),
      r.status,
      r.body,
    ]),
    { header: true, columns: [...CSV_COLUMNS] },
  );
}

export function parseArticlesCsv(text: string): (ArticleInput | ParseProblem)[] {
  let records: Record<string, string>[];
  try {
    records = parseCsv(text, {
      columns: true,
      skip_empty_lines: true,
      bom: true,
      relax_column_count: false,
    }) as Record<string, string>[];
  } catch (error) {
    return [{ file: 'csv', message: error instanceof Error ? error.message : String(error) }];
  }
  return records.map((r, i) => {
    const result = ZArticleFields.safeParse({
      ...r,
      tags: (r.tags ?? '').split('|').filter(Boolean),
      intents: (r.intents ?? '').split('|').filter(Boolean),
      summary: r.summary ?? '',
      status: r.status || 'draft',
    });
    return result.success
      ? result.data
      : {
          file: `csv row ${i + 2}`,
          message: result.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; '),
        };
  });
}

/** Creates or updates (by locale + slug) every article; nothing is written when any entry is invalid. */
export async function importArticles(
  deps: Pick<Deps, 'db' | 'clock' | 'publish'> & { kb: KnowledgeIndex },
  actor: Actor,
  entries: (ArticleInput | ParseProblem)[],
): Promise<{ created: number; updated: number }> {
  const problems = entries.filter((e): e is ParseProblem => 'message' in e);
  if (problems.length > 0) {
    throw new AppError('article.import_invalid', {
      vars: {
        problems: problems
          .slice(0, 5)
          .map((p) => `${p.file}: ${p.message}`)
          .join('; '),
      },
      details: { problems },
    });
  }
  const inputs = entries as ArticleInput[];
  const key = (a: { locale: string; slug: string }) => `${a.locale}/${a.slug}`;
  const existing = new Set<string>();
  for (let i = 0; i < inputs.length; i += 500) {
    const chunk = inputs.slice(i, i + 500);
    const rows = await deps.db
      .select({ locale: articles.locale, slug: articles.slug })
      .from(articles)
      .where(
        or(
          ...chunk.map((input) =>
            and(eq(articles.locale, input.locale), eq(articles.slug, input.slug)),
          ),
        ),
      );
    for (const row of rows) existing.add(key(row));
  }
  // New articles are written together; an existing one (or a later entry of the same locale and
  // slug) is an update, one at a time as an editor's would be.
  const fresh: ArticleInput[] = [];
  const updates: ArticleInput[] = [];
  for (const input of inputs) {
    if (existing.has(key(input))) updates.push(input);
    else {
      existing.add(key(input));
      fresh.push(input);
    }
  }
  for (let i = 0; i < fresh.length; i += 500)
    await createArticles(deps, actor, fresh.slice(i, i + 500));
  for (const input of updates) {
    const [row] = await deps.db
      .select({ id: articles.id })
      .from(articles)
      .where(and(eq(articles.locale, input.locale), eq(articles.slug, input.slug)));
    if (row) await updateArticle(deps, actor, row.id, input);
  }
  const created = fresh.length;
  const updated = updates.length;
  return { created, updated };
}
