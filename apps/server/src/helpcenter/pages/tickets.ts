import type { TTicketView } from '@kefu/shared';
import { html, type SafeHtml } from '../html.ts';
import { helpPath, type PageContext, renderPage } from '../layout.ts';
import { formatDate, formatDateTime, type HelpKey, t } from '../strings.ts';
import { aria, errorSummary, type FieldErrors, field, nonceInput } from './components.ts';

const alternates = { 'zh-CN': '/help/zh-CN/tickets', en: '/help/en/tickets' };
const IDS = { number: 'ticket-number', email: 'ticket-email', code: 'ticket-code', text: 'reply' };

export type LookupForm = { number: string; email: string };

function numberField(ctx: PageContext, value: string, error?: string) {
  return field({
    id: IDS.number,
    label: t(ctx.locale, 'numberLabel'),
    hint: t(ctx.locale, 'numberHint'),
    error,
    control: (p) =>
      html`<input id="${p.id}" name="number" value="${value}" required inputmode="numeric" autocomplete="off" maxlength="16"${aria(p)}>`,
  });
}

export function renderTicketLookup(
  ctx: PageContext,
  form: LookupForm,
  errors: FieldErrors = {},
  notice?: string,
): SafeHtml {
  const { locale } = ctx;
  const main = html`<h1>${t(locale, 'ticketsTitle')}</h1>
<p>${t(locale, 'ticketsIntro')}</p>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
${errorSummary(locale, errors, IDS)}
<form class="stack narrow" method="post" action="${helpPath(locale, '/tickets')}" novalidate data-once>
${numberField(ctx, form.number, errors.number)}
${field({
  id: IDS.email,
  label: t(locale, 'emailLabel'),
  error: errors.email,
  control: (p) =>
    html`<input id="${p.id}" type="email" name="email" value="${form.email}" required maxlength="254" autocomplete="email" inputmode="email" spellcheck="false"${aria(p)}>`,
})}
<p><button type="submit">${t(locale, 'sendCode')}</button></p>
</form>`;
  return renderPage(ctx, {
    title: t(locale, 'ticketsTitle'),
    description: t(locale, 'ticketsDescription'),
    alternates,
    current: 'tickets',
    main,
  });
}

export function renderTicketCode(
  ctx: PageContext,
  form: { number: number; email: string },
  minutes: number,
  error?: string,
): SafeHtml {
  const { locale } = ctx;
  const main = html`<h1>${t(locale, 'codeSentTitle')}</h1>
<p role="status">${t(locale, 'codeSentText', { number: form.number, email: form.email, minutes })}</p>
${errorSummary(locale, { code: error }, IDS)}
<form class="stack narrow" method="post" action="${helpPath(locale, '/tickets/code')}" novalidate data-once>
<input type="hidden" name="number" value="${form.number}">
<input type="hidden" name="email" value="${form.email}">
${field({
  id: IDS.code,
  label: t(locale, 'codeLabel'),
  hint: t(locale, 'codeNeverShare'),
  error,
  control: (p) =>
    html`<input id="${p.id}" name="code" required inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="9"${aria(p)}>`,
})}
<p><button type="submit">${t(locale, 'openTicket')}</button></p>
</form>
<p><a href="${helpPath(locale, `/tickets?number=${form.number}`)}">${t(locale, 'newCode')}</a></p>`;
  return renderPage(ctx, {
    title: t(locale, 'codeSentTitle'),
    description: t(locale, 'ticketsDescription'),
    alternates,
    noindex: true,
    current: 'tickets',
    main,
  });
}

/**
 * Message text with links to this help center made clickable (the assistant and agents send
 * article links); everything else stays text.
 */
export function linkHelpUrls(text: string, origin: string): SafeHtml {
  const prefix = `${origin}/help/`;
  const parts: SafeHtml[] = [];
  let rest = text;
  for (let at = rest.indexOf(prefix); at >= 0; at = rest.indexOf(prefix)) {
    const url = /^\S+/.exec(rest.slice(at))?.[0].replace(/[.,;:!?)）。，]+$/, '') ?? prefix;
    parts.push(html`${rest.slice(0, at)}<a href="${url}">${url}</a>`);
    rest = rest.slice(at + url.length);
  }
  parts.push(html`${rest}`);
  return html`${parts}`;
}

export type TicketFlash = {
  sent?: boolean;
  /** The secret guard's warning for the reply just sent. */
  warning?: string | null;
  /** The closed ticket a reply was meant for (a new one was opened). */
  reopenedFrom?: number | null;
};

export function renderTicket(
  ctx: PageContext,
  ticket: TTicketView,
  reply: { text: string; nonce: string; error?: string | undefined },
  flash: TicketFlash = {},
): SafeHtml {
  const { locale } = ctx;
  const sender = (m: TTicketView['messages'][number]) =>
    m.senderType === 'contact'
      ? t(locale, 'senderYou')
      : m.senderType === 'assistant'
        ? t(locale, 'senderAssistant')
        : (m.senderName ?? t(locale, 'senderAgent'));
  const last = ticket.messages.length - 1;
  const messages = ticket.messages.map(
    (m, i) => html`<li class="msg from-${m.senderType}"${i === last ? html` id="latest"` : ''}>
<p class="who"><strong>${sender(m)}</strong> <time datetime="${m.createdAt}" data-local>${formatDateTime(locale, m.createdAt)}</time></p>
<p class="text">${linkHelpUrls(m.text, ctx.origin)}</p>
</li>`,
  );
  const status = `status_${ticket.status}` as HelpKey;
  const path = helpPath(locale, `/tickets/${ticket.number}`);
  const main = html`<h1>${t(locale, 'ticketHeading', { number: ticket.number })}</h1>
${flash.reopenedFrom ? html`<p class="notice" role="status">${t(locale, 'newTicketOpened', { number: ticket.number })}</p>` : ''}
${flash.sent && !flash.reopenedFrom ? html`<p class="notice ok" role="status">${t(locale, 'replySent')}</p>` : ''}
${flash.warning ? html`<p class="notice warn" role="alert">${flash.warning}</p>` : ''}
<p class="facts">${t(locale, 'statusLabel')} <span class="status status-${ticket.status}">${t(locale, status)}</span> · ${t(locale, 'openedOn', { date: formatDate(locale, ticket.createdAt) })}</p>
<section aria-labelledby="messages-title">
<h2 id="messages-title">${t(locale, 'messagesTitle')}</h2>
${ticket.messages.length === 0 ? html`<p>${t(locale, 'noMessages')}</p>` : html`<ol class="thread">${messages}</ol>`}
</section>
${errorSummary(locale, { text: reply.error }, IDS)}
<form class="stack" method="post" action="${path}/reply" novalidate data-once>
${nonceInput(reply.nonce)}
${ticket.status === 'closed' ? html`<p class="notice">${t(locale, 'replyClosedNote')}</p>` : ''}
${field({
  id: IDS.text,
  label: t(locale, 'replyLabel'),
  hint: t(locale, 'descriptionHint'),
  error: reply.error,
  control: (p) =>
    html`<textarea id="${p.id}" name="text" rows="4" required maxlength="10000"${aria(p)}>${reply.text}</textarea>`,
})}
<p><button type="submit">${t(locale, 'replyButton')}</button></p>
</form>
<form method="post" action="${helpPath(locale, '/tickets/leave')}">
<p><button type="submit" class="link">${t(locale, 'leaveTicket')}</button></p>
</form>`;
  return renderPage(ctx, {
    title: t(locale, 'ticketHeading', { number: ticket.number }),
    description: t(locale, 'ticketsDescription'),
    alternates: {
      'zh-CN': `/help/zh-CN/tickets/${ticket.number}`,
      en: `/help/en/tickets/${ticket.number}`,
    },
    noindex: true,
    current: 'tickets',
    main,
  });
}
