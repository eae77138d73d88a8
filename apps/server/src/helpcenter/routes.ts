import {
  LOCALES,
  MESSAGE_MAX,
  SECRET_KINDS,
  type TAnnouncement,
  type TLocale,
  type TSecretKind,
  ZChannel,
} from '@kefu/shared';
import { en, isLocale, pickLocale, translate } from '@kefu/shared/i18n';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  findCurrentAnnouncements,
  findRecentAnnouncements,
} from '../announcements/announcements.ts';
import type { Deps } from '../deps.ts';
import { actorOf } from '../http/auth-guard.ts';
import { statusOf } from '../http/error-handler.ts';
import type { App } from '../http/types.ts';
import {
  findArticles,
  findTranslations,
  getPublishedArticle,
  recordArticleFeedback,
} from '../knowledge/articles.ts';
import { AppError } from '../lib/app-error.ts';
import { acceptInbound } from '../pipeline/accept-inbound.ts';
import { secretWarning } from '../pipeline/secret-warning.ts';
import { issueCustomerToken, verifyCustomerToken } from '../realtime/customer-token.ts';
import { checkOfficialChannel } from '../safety/check-official-channel.ts';
import { findOfficialChannels } from '../safety/official-channels.ts';
import { findTicketByNumber, getTicketView } from '../tickets/find-ticket.ts';
import { LOOKUP_CODE_TTL_MS, LOOKUP_TOKEN_TTL_SECONDS } from '../tickets/lookup-code.ts';
import { startTicketLookup } from '../tickets/start-lookup.ts';
import { verifyTicketLookup } from '../tickets/verify-lookup.ts';
import { loadHelpAssets } from './assets.ts';
import { checkFormNonce, issueFormNonce } from './form-nonce.ts';
import type { SafeHtml } from './html.ts';
import { ANNOUNCEMENT_SLOT, helpPath, type PageContext } from './layout.ts';
import { renderArticleBody } from './markdown.ts';
import { renderAnnouncementBanners, renderAnnouncementIndex } from './pages/announcements.ts';
import { relatedArticles, renderArticle } from './pages/article.ts';
import { articlePath, type FieldErrors } from './pages/components.ts';
import {
  CONTACT_CATEGORIES,
  DESCRIPTION_MIN,
  renderContactForm,
  renderContactSent,
} from './pages/contact.ts';
import { renderErrorPage, renderNotFound } from './pages/errors.ts';
import {
  type CategoryGroup,
  HOME_ARTICLES_PER_CATEGORY,
  renderCategory,
  renderHome,
} from './pages/home.ts';
import { renderSearch } from './pages/search.ts';
import { renderTicket, renderTicketCode, renderTicketLookup } from './pages/tickets.ts';
import { renderVerify, VERIFY_MAX } from './pages/verify.ts';
import { HELP_CATEGORIES, type HelpKey, isHelpCategory, t } from './strings.ts';
import { submitContactRequest } from './submit-contact-request.ts';

/** The ticket-lookup token, for the ticket pages only. */
export const HELP_TICKET_COOKIE = 'kefu_help_ticket';

type Fields = Record<string, string | undefined>;

/** The string fields of a parsed body, query or params (a JSON body may hold anything). */
function fieldsOf(value: unknown): Fields {
  if (!value || typeof value !== 'object') return {};
  const out: Fields = {};
  for (const [key, field] of Object.entries(value)) if (typeof field === 'string') out[key] = field;
  return out;
}

function isHelpKey(value: string): value is HelpKey {
  return Object.hasOwn(en.help, value);
}

/** Zod issues → one message per field, in the page language (schemas name `help.*` keys). */
function fieldErrors(
  locale: TLocale,
  error: z.ZodError,
  vars: Record<string, string | number> = {},
): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const name = String(issue.path[0] ?? '');
    if (out[name]) continue;
    out[name] = isHelpKey(issue.message)
      ? t(locale, issue.message, vars)
      : t(locale, 'errorsTitle');
  }
  return out;
}

const ZFormEmail = z
  .string()
  .trim()
  .min(1, 'errorEmailRequired')
  .max(254, 'errorEmail')
  .pipe(z.email('errorEmail'))
  .transform((value) => value.toLowerCase());

const ZContactForm = z.object({
  email: ZFormEmail,
  category: z.enum(CONTACT_CATEGORIES, { message: 'errorCategory' }),
  description: z
    .string()
    .trim()
    .min(DESCRIPTION_MIN, 'errorDescriptionShort')
    .max(MESSAGE_MAX, 'errorDescriptionLong'),
});

const ZLookupForm = z.object({
  number: z
    .string()
    .trim()
    .regex(/^#?\d{1,15}$/, 'errorNumber')
    .transform((value) => Number(value.replace('#', ''))),
  email: ZFormEmail,
});

const ZCodeForm = ZLookupForm.extend({
  code: z
    .string()
    .transform((value) => value.replace(/\s+/g, ''))
    .pipe(z.string().regex(/^\d{6}$/, 'errorCode')),
});

const ZReplyForm = z.object({
  text: z.string().trim().min(1, 'errorReplyEmpty').max(MESSAGE_MAX, 'errorReplyLong'),
});

const ZVerifyForm = z.object({
  value: z.string().trim().min(1, 'errorVerifyEmpty').max(VERIFY_MAX, 'errorVerifyLong'),
});

/**
 * The public help center under /help: server-rendered pages in zh-CN and en (knowledge base,
 * search, contact form, ticket status, official-channel check) and their small static assets.
 * Pages post plain forms; help.js only adds suggestions while typing and feedback without a reload.
 */
export function helpCenterRoutes(app: App, deps: Deps): void {
  const assets = loadHelpAssets();
  const origin = new URL(deps.config.publicUrl).origin;
  const limited = {
    rateLimit: { max: deps.config.rateLimitPublic, timeWindow: '1 minute' },
  };
  const hidden = { hide: true };

  const ctxOf = (locale: TLocale): PageContext => ({
    locale,
    origin: deps.config.publicUrl,
    assets,
    nonce: () => issueFormNonce(deps.config.secretKey, deps.clock.now()),
  });

  /** The page language: the URL's when it names one, else Accept-Language. */
  const localeOf = (request: FastifyRequest): TLocale => {
    const segment = (request.url.split('?')[0] ?? '').split('/')[2] ?? '';
    const match = LOCALES.find((l) => l.toLowerCase() === segment.toLowerCase());
    return match ?? pickLocale(request.headers['accept-language']);
  };

  /** The current announcements of each page request, loaded before its handler runs. */
  const announced = new WeakMap<FastifyRequest, TAnnouncement[]>();

  const send = (
    reply: FastifyReply,
    page: SafeHtml,
    options: { status?: number; cache?: 'public' | 'private' } = {},
  ) => {
    const current = announced.get(reply.request) ?? [];
    const body =
      current.length > 0
        ? page.value.replace(
            ANNOUNCEMENT_SLOT,
            renderAnnouncementBanners(localeOf(reply.request), current).value,
          )
        : page.value;
    return reply
      .status(options.status ?? 200)
      .header('content-type', 'text/html; charset=utf-8')
      .header(
        'cache-control',
        options.cache === 'public' ? 'public, max-age=60' : 'private, no-store',
      )
      .send(body);
  };

  const notFound = (request: FastifyRequest, reply: FastifyReply) =>
    send(reply, renderNotFound(ctxOf(localeOf(request))), { status: 404 });

  const seeOther = (reply: FastifyReply, url: string) =>
    reply.header('cache-control', 'private, no-store').redirect(url, 303);

  type Handler = (
    request: FastifyRequest,
    reply: FastifyReply,
    locale: TLocale,
    params: Fields,
  ) => Promise<unknown>;

  /** Runs `handler` for a known locale; `/help/zh-cn/…` moves to `/help/zh-CN/…`; others are 404. */
  const withLocale = (handler: Handler) => async (request: FastifyRequest, reply: FastifyReply) => {
    const params = fieldsOf(request.params);
    const raw = params.locale ?? '';
    if (isLocale(raw)) return handler(request, reply, raw, params);
    const fixed = LOCALES.find((l) => l.toLowerCase() === raw.toLowerCase());
    if (fixed && request.method === 'GET')
      return reply.redirect(request.url.replace(`/help/${raw}`, `/help/${fixed}`), 301);
    return notFound(request, reply);
  };

  void app.register(async (scope) => {
    // Plain HTML forms post application/x-www-form-urlencoded; only this scope reads it.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 256 * 1024 },
      (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      },
    );

    scope.addHook('preHandler', async (request) => {
      if (request.method !== 'GET' && request.method !== 'POST') return;
      try {
        announced.set(request, await findCurrentAnnouncements(deps));
      } catch (err) {
        // A page without its banner is better than no page.
        request.log.warn({ err }, 'announcements not loaded');
      }
    });

    // Errors on a page are pages too, in the page language.
    scope.setErrorHandler(async (error: FastifyError, request, reply) => {
      const status = error instanceof AppError ? statusOf(error.code) : (error.statusCode ?? 500);
      if (status === 404) return notFound(request, reply);
      const ctx = ctxOf(localeOf(request));
      if (status === 429)
        return send(reply, renderErrorPage(ctx, 'rate_limited', request.id), { status });
      if (status >= 500) request.log.error({ err: error }, 'help center page failed');
      return send(reply, renderErrorPage(ctx, 'failed', request.id), {
        status: status >= 400 ? status : 500,
      });
    });

    scope.get('/help', { schema: hidden }, async (request, reply) =>
      reply
        .header('vary', 'Accept-Language')
        .header('cache-control', 'private, no-store')
        .redirect(`/help/${pickLocale(request.headers['accept-language'])}`, 302),
    );

    scope.get('/help/assets/:name', { schema: hidden }, async (request, reply) => {
      const asset = assets.get(fieldsOf(request.params).name ?? '');
      if (!asset) return notFound(request, reply);
      const etag = `"${asset.version}"`;
      reply
        .header('content-type', asset.contentType)
        .header('etag', etag)
        .header(
          'cache-control',
          fieldsOf(request.query).v === asset.version
            ? 'public, max-age=31536000, immutable'
            : 'public, max-age=300',
        );
      if (request.headers['if-none-match'] === etag) return reply.status(304).send();
      return reply.send(asset.body);
    });

    scope.get(
      '/help/:locale',
      { schema: hidden, config: limited },
      withLocale(async (_request, reply, locale) => {
        // A few articles per topic, not the whole knowledge base: it may hold thousands.
        const groups: CategoryGroup[] = [];
        const found = await Promise.all(
          HELP_CATEGORIES.map((category) =>
            findArticles(deps.db, {
              locale,
              category,
              status: 'published',
              limit: HOME_ARTICLES_PER_CATEGORY + 1,
            }),
          ),
        );
        HELP_CATEGORIES.forEach((category, i) => {
          const rows = found[i] ?? [];
          if (rows.length > 0)
            groups.push({
              category,
              articles: rows.slice(0, HOME_ARTICLES_PER_CATEGORY),
              more: rows.length > HOME_ARTICLES_PER_CATEGORY,
            });
        });
        return send(reply, renderHome(ctxOf(locale), groups), { cache: 'public' });
      }),
    );

    scope.get(
      '/help/:locale/categories/:category',
      { schema: hidden, config: limited },
      withLocale(async (request, reply, locale, params) => {
        const category = params.category ?? '';
        const rows = await findArticles(deps.db, { locale, category, status: 'published' });
        if (rows.length === 0 && !isHelpCategory(category)) return notFound(request, reply);
        const page = renderCategory(
          ctxOf(locale),
          category,
          rows,
          isHelpCategory(category) ? [...LOCALES] : [locale],
        );
        return send(reply, page, { cache: 'public' });
      }),
    );

    scope.get(
      '/help/:locale/articles/:slug',
      { schema: hidden, config: limited },
      withLocale(async (request, reply, locale, params) => {
        const row = await getPublishedArticle(deps.db, locale, params.slug ?? '').catch(
          (error: unknown) => {
            if (error instanceof AppError && error.code === 'article.not_found') return null;
            throw error;
          },
        );
        if (!row) return notFound(request, reply);
        const translations = (await findTranslations(deps.db, row.slug)).filter(
          (tr) => tr.id !== row.id && tr.status === 'published',
        );
        const sameTopic = await findArticles(deps.db, {
          locale,
          category: row.category,
          status: 'published',
          limit: 200,
        });
        const answered = fieldsOf(request.query).feedback;
        const feedback = answered === 'yes' || answered === 'no' ? answered : null;
        const page = renderArticle(ctxOf(locale), {
          article: row,
          body: renderArticleBody(row.body, origin),
          translations,
          related: relatedArticles(row, sameTopic),
          feedback,
        });
        return send(reply, page, { cache: feedback ? 'private' : 'public' });
      }),
    );

    scope.post(
      '/help/:locale/articles/:slug/feedback',
      { schema: hidden, config: limited },
      withLocale(async (request, reply, locale, params) => {
        const answer = fieldsOf(request.body).helpful;
        const row = await getPublishedArticle(deps.db, locale, params.slug ?? '').catch(() => null);
        if (!row) return notFound(request, reply);
        const back = articlePath(locale, row.slug);
        if (answer !== 'yes' && answer !== 'no') return seeOther(reply, back);
        await recordArticleFeedback(deps.db, row.id, answer === 'yes');
        // help.js asks for JSON and shows the thank-you without a reload.
        if ((request.headers.accept ?? '').includes('application/json'))
          return reply.header('cache-control', 'no-store').send({ ok: true });
        return seeOther(reply, `${back}?feedback=${answer}#feedback`);
      }),
    );

    scope.get(
      '/help/:locale/search',
      { schema: hidden, config: limited },
      withLocale(async (request, reply, locale) => {
        const q = (fieldsOf(request.query).q ?? '').trim().slice(0, 200);
        const hits = q ? deps.kb.search(q, { locale, limit: 20 }) : [];
        return send(reply, renderSearch(ctxOf(locale), q, hits), { cache: 'public' });
      }),
    );

    // Contact us: suggestions while typing (help.js), then a ticket through the inbound pipeline.
    scope.get(
      '/help/:locale/contact',
      { schema: hidden, config: limited },
      withLocale(async (request, reply, locale) => {
        const query = fieldsOf(request.query);
        const ctx = ctxOf(locale);
        const category = query.category ?? '';
        const form = {
          email: '',
          category: (CONTACT_CATEGORIES as readonly string[]).includes(category) ? category : '',
          description: (query.q ?? '').slice(0, 500),
          nonce: ctx.nonce(),
        };
        return send(reply, renderContactForm(ctx, form));
      }),
    );

    scope.post(
      '/help/:locale/contact',
      { schema: hidden, config: limited },
      withLocale(async (request, reply, locale) => {
        const body = fieldsOf(request.body);
        const ctx = ctxOf(locale);
        const form = {
          email: body.email ?? '',
          category: body.category ?? '',
          description: body.description ?? '',
          nonce: body.nonce ?? '',
        };
        const formId = checkFormNonce(deps.config.secretKey, form.nonce, deps.clock.now());
        const again = { ...form, nonce: formId ? form.nonce : ctx.nonce() };
        const parsed = ZContactForm.safeParse(form);
        if (!parsed.success) {
          const errors = fieldErrors(locale, parsed.error, {
            min: DESCRIPTION_MIN,
            max: MESSAGE_MAX,
          });
          return send(reply, renderContactForm(ctx, again, errors), { status: 400 });
        }
        const expired = () =>
          send(reply, renderContactForm(ctx, again, {}, t(locale, 'errorFormExpired')), {
            status: 400,
          });
        if (!formId) return expired();
        let result: Awaited<ReturnType<typeof submitContactRequest>>;
        try {
          result = await submitContactRequest(deps, { ...parsed.data, locale, formId });
        } catch (error) {
          if (error instanceof AppError && error.code === 'inbox.not_found')
            return send(reply, renderContactForm(ctx, again, {}, t(locale, 'contactUnavailable')), {
              status: 503,
            });
          throw error;
        }
        if (!result.ok) {
          again.nonce = ctx.nonce();
          return expired();
        }
        return send(reply, renderContactSent(ctx, result), {
          status: result.duplicate ? 200 : 201,
        });
      }),
    );

    // Ticket status: number + email → a mailed one-time code → the ticket, read and answered
    // with the lookup token kept in an httpOnly cookie scoped to /help.
    const ticketAccess = async (request: FastifyRequest, number: number) => {
      const token = request.cookies[HELP_TICKET_COOKIE];
      if (!token) return null;
      const claims = await verifyCustomerToken(
        deps.config.secretKey,
        token,
        deps.clock.now(),
      ).catch(() => null);
      if (!claims?.conversationId) return null;
      const found = await findTicketByNumber(deps.db, number);
      if (
        !found ||
        found.row.contactId !== claims.contactId ||
        !found.chain.includes(claims.conversationId)
      )
        return null;
      return { claims, row: found.row };
    };

    const setTicketCookie = async (
      reply: FastifyReply,
      conversation: { id: string; contactId: string; inboxId: string },
    ) => {
      const { token } = await issueCustomerToken(
        deps.config.secretKey,
        {
          contactId: conversation.contactId,
          inboxId: conversation.inboxId,
          verified: false,
          conversationId: conversation.id,
        },
        deps.clock.now(),
        { ttlSeconds: LOOKUP_TOKEN_TTL_SECONDS },
      );
      reply.setCookie(HELP_TICKET_COOKIE, token, {
        path: '/help',
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.config.cookieSecure,
        maxAge: LOOKUP_TOKEN_TTL_SECONDS,
      });
    };

    const ticketNumberOf = (params: Fields): number | null => {
      const value = params.number ?? '';
      return /^\d{1,15}$/.test(value) ? Number(value) : null;
    };

    scope.get(
      '/help/:locale/tickets',
      { schema: hidden, config: limited },
      withLocale(async (request, reply, locale) => {
        const query = fieldsOf(request.query);
        const number = /^\d{1,15}$/.test(query.number ?? '') ? (query.number ?? '') : '';
        const notice =
          query.state === 'expired'
            ? t(locale, 'sessionExpired')
            : query.state === 'left'
              ? t(locale, 'signedOut')
              : undefined;
        return send(reply, renderTicketLookup(ctxOf(locale), { number, email: '' }, {}, notice));
      }),
    );

    scope.post(
      '/help/:locale/tickets',
      { schema: hidden, config: limited },
      withLocale(async (request, reply, locale) => {
        const body = fieldsOf(request.body);
        const form = { number: body.number ?? '', email: body.email ?? '' };
        const parsed = ZLookupForm.safeParse(form);
        if (!parsed.success)
          return send(
            reply,
            renderTicketLookup(ctxOf(locale), form, fieldErrors(locale, parsed.error)),
            { status: 400 },
          );
        await startTicketLookup(deps, actorOf(request), { ...parsed.data, locale });
        return send(
          reply,
          renderTicketCode(ctxOf(locale), parsed.data, LOOKUP_CODE_TTL_MS / 60_000),
        );
      }),
    );

    scope.post(
      '/help/:locale/tickets/code',
      { schema: hidden, config: limited },
      withLocale(async (request, reply, locale) => {
        const body = fieldsOf(request.body);
        const ctx = ctxOf(locale);
        const form = { number: body.number ?? '', email: body.email ?? '', code: body.code ?? '' };
        const who = ZLookupForm.safeParse(form);
        if (!who.success)
          return send(reply, renderTicketLookup(ctx, form, fieldErrors(locale, who.error)), {
            status: 400,
          });
        const minutes = LOOKUP_CODE_TTL_MS / 60_000;
        const parsed = ZCodeForm.safeParse(form);
        if (!parsed.success)
          return send(
            reply,
            renderTicketCode(ctx, who.data, minutes, fieldErrors(locale, parsed.error).code),
            { status: 400 },
          );
        let conversation: Awaited<ReturnType<typeof verifyTicketLookup>>;
        try {
          conversation = await verifyTicketLookup(deps, actorOf(request), parsed.data);
        } catch (error) {
          if (error instanceof AppError && error.code === 'ticket.code_invalid')
            return send(
              reply,
              renderTicketCode(
                ctx,
                who.data,
                minutes,
                translate(locale, 'errors.ticket.code_invalid'),
              ),
              { status: 401 },
            );
          throw error;
        }
        await setTicketCookie(reply, conversation);
        return seeOther(reply, helpPath(locale, `/tickets/${conversation.number}`));
      }),
    );

    scope.post(
      '/help/:locale/tickets/leave',
      { schema: hidden, config: limited },
      withLocale(async (_request, reply, locale) => {
        reply.clearCookie(HELP_TICKET_COOKIE, { path: '/help' });
        return seeOther(reply, helpPath(locale, '/tickets?state=left'));
      }),
    );

    scope.get(
      '/help/:locale/tickets/:number',
      { schema: hidden, config: limited },
      withLocale(async (request, reply, locale, params) => {
        const number = ticketNumberOf(params);
        if (number === null) return notFound(request, reply);
        const access = await ticketAccess(request, number);
        if (!access)
          return seeOther(reply, helpPath(locale, `/tickets?number=${number}&state=expired`));
        const query = fieldsOf(request.query);
        const kinds = (query.redacted ?? '')
          .split(',')
          .filter((k): k is TSecretKind => (SECRET_KINDS as readonly string[]).includes(k));
        const from = Number(query.from);
        const ctx = ctxOf(locale);
        const view = await getTicketView(deps.db, access.row);
        return send(
          reply,
          renderTicket(
            ctx,
            view,
            { text: '', nonce: ctx.nonce() },
            {
              sent: query.sent === '1',
              warning: kinds.length > 0 ? secretWarning(locale, kinds) : null,
              reopenedFrom: Number.isSafeInteger(from) && from > 0 ? from : null,
            },
          ),
        );
      }),
    );

    scope.post(
      '/help/:locale/tickets/:number/reply',
      { schema: hidden, config: limited },
      withLocale(async (request, reply, locale, params) => {
        const number = ticketNumberOf(params);
        if (number === null) return notFound(request, reply);
        const access = await ticketAccess(request, number);
        if (!access)
          return seeOther(reply, helpPath(locale, `/tickets?number=${number}&state=expired`));
        const body = fieldsOf(request.body);
        const ctx = ctxOf(locale);
        const text = body.text ?? '';
        const formId = checkFormNonce(deps.config.secretKey, body.nonce ?? '', deps.clock.now());
        const parsed = ZReplyForm.safeParse({ text });
        const error = !parsed.success
          ? fieldErrors(locale, parsed.error, { max: MESSAGE_MAX }).text
          : !formId
            ? t(locale, 'errorFormExpired')
            : undefined;
        if (!parsed.success || !formId) {
          const view = await getTicketView(deps.db, access.row);
          const nonce = formId ? (body.nonce ?? '') : ctx.nonce();
          return send(reply, renderTicket(ctx, view, { text, nonce, error }), { status: 400 });
        }
        const { claims, row } = access;
        const channel = ZChannel.safeParse(row.channel);
        const result = await acceptInbound(deps, {
          channel: channel.success ? channel.data : 'widget',
          inboxId: claims.inboxId,
          idempotencyKey: `${claims.contactId}:help-${formId}`,
          contactId: claims.contactId,
          conversationId: row.id,
          text: parsed.data.text,
          locale: null,
          clientMessageId: `help-${formId}`,
          meta: { source: 'help_center' },
        });
        const redacted = [...new Set(result.redactions.map((r) => r.kind))].join(',');
        const flash = `sent=1${redacted ? `&redacted=${encodeURIComponent(redacted)}` : ''}`;
        if (result.conversation.id !== row.id) {
          // The ticket was closed: the reply opened a new one, which this visitor may now read.
          await setTicketCookie(reply, result.conversation);
          return seeOther(
            reply,
            helpPath(locale, `/tickets/${result.conversation.number}?${flash}&from=${number}`),
          );
        }
        return seeOther(reply, helpPath(locale, `/tickets/${number}?${flash}#latest`));
      }),
    );

    scope.get(
      '/help/:locale/announcements',
      { schema: hidden, config: limited },
      withLocale(async (_request, reply, locale) =>
        send(reply, renderAnnouncementIndex(ctxOf(locale), await findRecentAnnouncements(deps)), {
          cache: 'private',
        }),
      ),
    );

    // Verify: is this link, email, account or phone number an official channel?
    scope.get(
      '/help/:locale/verify',
      { schema: hidden, config: limited },
      withLocale(async (_request, reply, locale) => {
        const registry = await findOfficialChannels(deps);
        return send(reply, renderVerify(ctxOf(locale), { value: '' }, null, registry), {
          cache: 'public',
        });
      }),
    );

    scope.post(
      '/help/:locale/verify',
      { schema: hidden, config: limited },
      withLocale(async (request, reply, locale) => {
        const value = fieldsOf(request.body).value ?? '';
        const registry = await findOfficialChannels(deps);
        const parsed = ZVerifyForm.safeParse({ value });
        if (!parsed.success) {
          const error = fieldErrors(locale, parsed.error, { max: VERIFY_MAX }).value;
          return send(reply, renderVerify(ctxOf(locale), { value, error }, null, registry), {
            status: 400,
          });
        }
        const result = await checkOfficialChannel(deps, parsed.data.value, locale);
        return send(reply, renderVerify(ctxOf(locale), { value }, result, registry));
      }),
    );

    // Anything else under /help is a help-center 404, never the console's client-side routes.
    scope.get('/help/*', { schema: hidden }, async (request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      const bare = /^\/help\/([^/]+)?\/$/.exec(path);
      if (bare) {
        const locale = LOCALES.find((l) => l.toLowerCase() === (bare[1] ?? '').toLowerCase());
        if (!bare[1]) return reply.redirect('/help', 302);
        if (locale) return reply.redirect(`/help/${locale}`, 301);
      }
      return notFound(request, reply);
    });
  });
}
