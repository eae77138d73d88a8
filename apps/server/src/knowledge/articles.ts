import { and, asc, desc, eq, ilike, or, type SQL, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { DbOrTx } from '../db/client.ts';
import type { Actor, Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { articleRevisions, articles } from './schema.ts';
import type { IndexedArticle, KnowledgeIndex } from './search-index.ts';

export type ArticleRow = typeof articles.$inferSelect;
export type ArticleInput = {
  slug: string;
  locale: 'zh-CN' | 'en';
  title: string;
  summary?: string;
  body: string;
  category: string;
  tags?: string[];
  intents?: string[];
  status?: 'draft' | 'published';
};

export function toArticle(row: ArticleRow) {
  return {
    id: row.id,
    slug: row.slug,
    locale: row.locale,
    title: row.title,
    summary: row.summary,
    body: row.body,
    category: row.category,
    tags: row.tags,
    intents: row.intents,
    status: row.status,
    helpfulCount: row.helpfulCount,
    notHelpfulCount: row.notHelpfulCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    publishedAt: row.publishedAt ? row.publishedAt.toISOString() : null,
  };
}
export type TArticleView = ReturnType<typeof toArticle>;

export function toIndexed(row: ArticleRow): IndexedArticle {
  return {
    id: row.id,
    slug: row.slug,
    locale: row.locale,
    title: row.title,
    summary: row.summary,
    body: row.body,
    tags: row.tags,
    category: row.category,
    intents: row.intents,
  };
}

type KbDeps = Pick<Deps, 'db' | 'clock' | 'publish'> & { kb: KnowledgeIndex };

/** Keeps this node's index in step and tells the other nodes. */
function reindex(deps: KbDeps, row: ArticleRow | null, id: string) {
  if (row && row.status === 'published') deps.kb.upsert(toIndexed(row));
  else deps.kb.remove(id);
  deps.publish({ type: 'knowledge.changed', articleId: id });
}

/** Reloads one article into the index (another node changed it). */
export async function refreshIndexedArticle(
  deps: Pick<Deps, 'db'> & { kb: KnowledgeIndex },
  id: string,
): Promise<void> {
  const [row] = await deps.db.select().from(articles).where(eq(articles.id, id));
  if (row && row.status === 'published') deps.kb.upsert(toIndexed(row));
  else deps.kb.remove(id);
}

export async function loadKnowledgeIndex(
  deps: Pick<Deps, 'db'> & { kb: KnowledgeIndex },
): Promise<number> {
  const rows = await deps.db.select().from(articles).where(eq(articles.status, 'published'));
  deps.kb.replaceAll(rows.map(toIndexed));
  return rows.length;
}

export async function getArticleRow(db: DbOrTx, id: string): Promise<ArticleRow> {
  const [row] = await db.select().from(articles).where(eq(articles.id, id));
  if (!row) throw new AppError('article.not_found');
  return row;
}

export async function getPublishedArticle(
  db: DbOrTx,
  locale: string,
  slug: string,
): Promise<ArticleRow> {
  const [row] = await db
    .select()
    .from(articles)
    .where(
      and(
        eq(articles.locale, locale as 'en'),
        eq(articles.slug, slug),
        eq(articles.status, 'published'),
      ),
    );
  if (!row) throw new AppError('article.not_found');
  return row;
}

export async function findArticles(
  db: DbOrTx,
  filter: {
    locale?: string;
    category?: string;
    status?: 'draft' | 'published';
    q?: string;
    limit?: number;
  },
): Promise<ArticleRow[]> {
  const where: SQL[] = [];
  if (filter.q) {
    // Editors look an article up by words of its title, its slug, a tag or a phrase of its text.
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const text = or(
      ilike(articles.title, pattern),
      ilike(articles.slug, pattern),
      ilike(articles.summary, pattern),
      ilike(articles.body, pattern),
      sql`${articles.tags}::text ilike ${pattern}`,
    );
    if (text) where.push(text);
  }
  if (filter.locale) where.push(eq(articles.locale, filter.locale as 'en'));
  if (filter.category) where.push(eq(articles.category, filter.category));
  if (filter.status) where.push(eq(articles.status, filter.status));
  return db
    .select()
    .from(articles)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(articles.category), asc(articles.title))
    .limit(filter.limit ?? 1000);
}

/** The other locales' versions of an article (same slug). */
export async function findTranslations(db: DbOrTx, slug: string): Promise<ArticleRow[]> {
  return db.select().from(articles).where(eq(articles.slug, slug));
}

async function saveRevision(db: DbOrTx, rows: ArticleRow | ArticleRow[], editedBy: string | null) {
  const list = Array.isArray(rows) ? rows : [rows];
  if (list.length === 0) return;
  await db.insert(articleRevisions).values(
    list.map((row) => ({
      articleId: row.id,
      title: row.title,
      summary: row.summary,
      body: row.body,
      status: row.status,
      editedBy,
    })),
  );
}

const agentIdOf = (actor: Actor) => (actor.type === 'agent' ? actor.id : null);

export async function createArticle(
  deps: KbDeps,
  actor: Actor,
  input: ArticleInput,
): Promise<ArticleRow> {
  const [row] = await createArticles(deps, actor, [input]);
  if (!row) throw new Error('insert returned nothing');
  return row;
}

/**
 * Creates articles in one transaction, a few statements whatever their number (an import, the
 * demo help center); `article.slug_taken` when a locale + slug exists already or twice in `inputs`.
 */
export async function createArticles(
  deps: KbDeps,
  actor: Actor,
  inputs: ArticleInput[],
): Promise<ArticleRow[]> {
  if (inputs.length === 0) return [];
  const keys = new Set(inputs.map((input) => `${input.locale}/${input.slug}`));
  if (keys.size < inputs.length) throw new AppError('article.slug_taken');
  const now = deps.clock.now();
  const rows = await deps.db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: articles.id })
      .from(articles)
      .where(
        or(
          ...inputs.map((input) =>
            and(eq(articles.locale, input.locale), eq(articles.slug, input.slug)),
          ),
        ),
      )
      .limit(1);
    if (existing) throw new AppError('article.slug_taken');
    const created = await tx
      .insert(articles)
      .values(
        inputs.map((input) => {
          const status = input.status ?? 'draft';
          return {
            ...input,
            summary: input.summary ?? '',
            tags: input.tags ?? [],
            intents: input.intents ?? [],
            status,
            updatedBy: agentIdOf(actor),
            createdAt: now,
            updatedAt: now,
            publishedAt: status === 'published' ? now : null,
          };
        }),
      )
      .returning();
    if (created.length !== inputs.length) throw new Error('insert returned fewer rows');
    await saveRevision(tx, created, agentIdOf(actor));
    await recordAudit(
      tx,
      actor,
      created.map((row) => ({
        action: 'article.created',
        targetType: 'article',
        targetId: row.id,
        data: { slug: row.slug, locale: row.locale },
      })),
    );
    return created;
  });
  for (const row of rows) reindex(deps, row, row.id);
  return rows;
}

export async function updateArticle(
  deps: KbDeps,
  actor: Actor,
  id: string,
  input: Partial<ArticleInput>,
): Promise<ArticleRow> {
  const now = deps.clock.now();
  const row = await deps.db.transaction(async (tx) => {
    const before = await getArticleRow(tx, id);
    if (input.slug && input.slug !== before.slug) {
      const [clash] = await tx
        .select({ id: articles.id })
        .from(articles)
        .where(
          and(eq(articles.locale, input.locale ?? before.locale), eq(articles.slug, input.slug)),
        );
      if (clash) throw new AppError('article.slug_taken');
    }
    const publishing = input.status === 'published' && before.status !== 'published';
    const [updated] = await tx
      .update(articles)
      .set({
        ...input,
        updatedBy: agentIdOf(actor),
        updatedAt: now,
        ...(publishing ? { publishedAt: now } : {}),
      })
      .where(eq(articles.id, id))
      .returning();
    if (!updated) throw new AppError('article.not_found');
    await saveRevision(tx, updated, agentIdOf(actor));
    await recordAudit(tx, actor, {
      action: publishing
        ? 'article.published'
        : input.status === 'draft' && before.status === 'published'
          ? 'article.unpublished'
          : 'article.updated',
      targetType: 'article',
      targetId: id,
      data: { fields: Object.keys(input) },
    });
    return updated;
  });
  reindex(deps, row, row.id);
  return row;
}

export async function deleteArticle(deps: KbDeps, actor: Actor, id: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const row = await getArticleRow(tx, id);
    await tx.delete(articles).where(eq(articles.id, id));
    await recordAudit(tx, actor, {
      action: 'article.deleted',
      targetType: 'article',
      targetId: id,
      data: { slug: row.slug, locale: row.locale },
    });
  });
  reindex(deps, null, id);
}

export async function findRevisions(db: DbOrTx, articleId: string) {
  await getArticleRow(db, articleId);
  const rows = await db
    .select()
    .from(articleRevisions)
    .where(eq(articleRevisions.articleId, articleId))
    .orderBy(desc(articleRevisions.createdAt));
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    summary: r.summary,
    body: r.body,
    status: r.status,
    editedBy: r.editedBy,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** "Was this helpful?" from a reader. */
export async function recordArticleFeedback(
  db: DbOrTx,
  id: string,
  helpful: boolean,
): Promise<void> {
  const rows = await db
    .update(articles)
    .set(
      helpful
        ? { helpfulCount: sql`${articles.helpfulCount} + 1` }
        : { notHelpfulCount: sql`${articles.notHelpfulCount} + 1` },
    )
    .where(and(eq(articles.id, id), eq(articles.status, 'published')))
    .returning({ id: articles.id });
  if (rows.length === 0) throw new AppError('article.not_found');
}
