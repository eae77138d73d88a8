import { ZIdParams, ZOk } from '@kefu/shared';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { html } from '../helpcenter/html.ts';
import { renderArticleBody } from '../helpcenter/markdown.ts';
import { actorOf } from '../http/auth-guard.ts';
import { type App, errorResponses } from '../http/types.ts';
import {
  createArticle,
  deleteArticle,
  findArticles,
  findRevisions,
  findTranslations,
  getArticleRow,
  getPublishedArticle,
  recordArticleFeedback,
  toArticle,
  updateArticle,
} from './articles.ts';
import {
  articlesToCsv,
  importArticles,
  parseArticlesCsv,
  parseMarkdownArticle,
  ZArticleFields,
} from './transfer.ts';

const ZArticle = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    locale: z.enum(['zh-CN', 'en']),
    title: z.string(),
    summary: z.string(),
    body: z.string(),
    category: z.string(),
    tags: z.array(z.string()),
    intents: z.array(z.string()),
    status: z.enum(['draft', 'published']),
    helpfulCount: z.number().int(),
    notHelpfulCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    publishedAt: z.string().nullable(),
  })
  .meta({ id: 'Article' });
const ZHit = z.object({
  id: z.uuid(),
  slug: z.string(),
  locale: z.enum(['zh-CN', 'en']),
  title: z.string(),
  summary: z.string(),
  score: z.number(),
  fallback: z
    .boolean()
    .describe('From the other language: nothing good enough in the one asked for'),
});
const ZLocaleSlug = z.object({ locale: z.enum(['zh-CN', 'en']), slug: z.string().max(120) });

export function knowledgeRoutes(app: App, deps: Deps) {
  const tags = ['knowledge'];
  const editors = { access: ['admin', 'supervisor'] as const };
  const publicLimit = {
    access: 'public' as const,
    rateLimit: { max: deps.config.rateLimitPublic, timeWindow: '1 minute' },
  };

  app.get(
    '/api/v1/kb/search',
    {
      config: publicLimit,
      schema: {
        tags,
        summary:
          'Search published articles (Chinese segmentation, synonyms, typo tolerance), best first',
        security: [],
        querystring: z.strictObject({
          q: z.string().trim().min(1, 'Type something to search for').max(500),
          locale: z.enum(['zh-CN', 'en']).default('en'),
          limit: z.coerce.number().int().min(1).max(20).default(5),
        }),
        response: { 200: z.object({ hits: z.array(ZHit) }), ...errorResponses },
      },
    },
    async (request) => ({
      hits: deps.kb.search(request.query.q, {
        locale: request.query.locale,
        limit: request.query.limit,
      }),
    }),
  );

  app.get(
    '/api/v1/kb/articles/:locale/:slug',
    {
      config: publicLimit,
      schema: {
        tags,
        summary: 'A published article, with its translations',
        security: [],
        params: ZLocaleSlug,
        response: {
          200: z.object({
            article: ZArticle,
            translations: z.array(
              z.object({ locale: z.string(), slug: z.string(), title: z.string() }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const row = await getPublishedArticle(deps.db, request.params.locale, request.params.slug);
      const translations = (await findTranslations(deps.db, row.slug))
        .filter((t) => t.id !== row.id && t.status === 'published')
        .map((t) => ({ locale: t.locale, slug: t.slug, title: t.title }));
      return { article: toArticle(row), translations };
    },
  );

  app.post(
    '/api/v1/kb/articles/:id/feedback',
    {
      config: publicLimit,
      schema: {
        tags,
        summary: '"Was this helpful?"',
        security: [],
        params: ZIdParams,
        body: z.strictObject({ helpful: z.boolean() }),
        response: { 200: ZOk, ...errorResponses },
      },
    },
    async (request) => {
      await recordArticleFeedback(deps.db, request.params.id, request.body.helpful);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/v1/articles',
    {
      schema: {
        tags,
        summary: 'All articles, drafts included (agents)',
        querystring: z.strictObject({
          locale: z.enum(['zh-CN', 'en']).optional(),
          category: z.string().max(60).optional(),
          status: z.enum(['draft', 'published']).optional(),
          q: z
            .string()
            .trim()
            .max(200)
            .optional()
            .describe('Finds titles, slugs, summaries, texts and tags containing this'),
        }),
        response: { 200: z.object({ articles: z.array(ZArticle) }), ...errorResponses },
      },
    },
    async (request) => ({ articles: (await findArticles(deps.db, request.query)).map(toArticle) }),
  );
  app.get(
    '/api/v1/articles/:id',
    {
      schema: {
        tags,
        summary: 'One article (agents)',
        params: ZIdParams,
        response: { 200: ZArticle, ...errorResponses },
      },
    },
    async (request) => toArticle(await getArticleRow(deps.db, request.params.id)),
  );
  app.post(
    '/api/v1/articles',
    {
      config: editors,
      schema: {
        tags,
        summary: 'Write an article (admin, supervisor)',
        body: ZArticleFields,
        response: { 201: ZArticle, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(toArticle(await createArticle(deps, actorOf(request), request.body))),
  );
  app.patch(
    '/api/v1/articles/:id',
    {
      config: editors,
      schema: {
        tags,
        summary:
          'Edit, publish (status: published) or unpublish an article; every save is a revision (admin, supervisor)',
        params: ZIdParams,
        body: ZArticleFields.partial(),
        response: { 200: ZArticle, ...errorResponses },
      },
    },
    async (request) =>
      toArticle(await updateArticle(deps, actorOf(request), request.params.id, request.body)),
  );
  app.delete(
    '/api/v1/articles/:id',
    {
      config: editors,
      schema: {
        tags,
        summary: 'Delete an article (admin, supervisor)',
        params: ZIdParams,
        response: { 200: ZOk, ...errorResponses },
      },
    },
    async (request) => {
      await deleteArticle(deps, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );
  app.get(
    '/api/v1/articles/:id/revisions',
    {
      schema: {
        tags,
        summary: 'Revision history, newest first',
        params: ZIdParams,
        response: {
          200: z.object({
            revisions: z.array(
              z.object({
                id: z.string(),
                title: z.string(),
                summary: z.string(),
                body: z.string(),
                status: z.string(),
                editedBy: z.string().nullable(),
                createdAt: z.string(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ revisions: await findRevisions(deps.db, request.params.id) }),
  );
  app.get(
    '/api/v1/articles/export',
    {
      config: editors,
      schema: {
        tags,
        summary: 'Export as CSV, or as Markdown files with front matter (admin, supervisor)',
        querystring: z.strictObject({
          format: z.enum(['csv', 'markdown']).default('markdown'),
          locale: z.enum(['zh-CN', 'en']).optional(),
        }),
      },
    },
    async (request, reply) => {
      const rows = await findArticles(deps.db, {
        ...(request.query.locale ? { locale: request.query.locale } : {}),
      });
      if (request.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="kefu-articles.csv"')
          .send(articlesToCsv(rows));
      }
      const { articleToMarkdown } = await import('./transfer.ts');
      return {
        files: rows.map((r) => ({
          path: `${r.locale}/${r.slug}.md`,
          content: articleToMarkdown(r),
        })),
      };
    },
  );
  app.post(
    '/api/v1/articles/import',
    {
      config: editors,
      schema: {
        tags,
        summary:
          'Import Markdown files with front matter, or CSV; creates or updates by locale + slug; all or nothing (admin, supervisor)',
        body: z.discriminatedUnion('format', [
          z.strictObject({
            format: z.literal('markdown'),
            files: z
              .array(
                z.strictObject({ path: z.string().max(300), content: z.string().max(200_000) }),
              )
              .min(1)
              .max(2000),
          }),
          z.strictObject({ format: z.literal('csv'), content: z.string().min(1).max(5_000_000) }),
        ]),
        response: {
          200: z.object({ created: z.number().int(), updated: z.number().int() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const body = request.body;
      const entries =
        body.format === 'csv'
          ? parseArticlesCsv(body.content)
          : body.files.map((f) =>
              parseMarkdownArticle(f.content, f.path, { locale: f.path.split('/').at(-2) ?? '' }),
            );
      return importArticles(deps, actorOf(request), entries);
    },
  );
  app.post(
    '/api/v1/articles/preview',
    {
      config: editors,
      schema: {
        tags,
        summary:
          'A draft article (title and Markdown text) as the help center shows it: rendered and sanitized HTML (admin, supervisor)',
        body: z.strictObject({
          title: z.string().trim().max(200, 'A title has at most 200 characters').default(''),
          body: z.string().max(100_000, 'At most 100000 characters'),
        }),
        response: { 200: z.object({ html: z.string() }), ...errorResponses },
      },
    },
    async (request) => {
      const { title, body } = request.body;
      const text = renderArticleBody(body, new URL(deps.config.publicUrl).origin);
      return { html: html`${title ? html`<h1>${title}</h1>` : ''}${text}`.value };
    },
  );
}
