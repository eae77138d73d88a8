import EmailReplyParser from 'email-reply-parser';
import type { AddressObject, HeaderValue } from 'mailparser';
import sanitizeHtml from 'sanitize-html';

export type EmailAttachment = { filename: string; contentType: string; content: Buffer };

/** A received email, as much of it as the channel needs. */
export type ParsedEmail = {
  /** Without angle brackets; null when the sender set none. */
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  from: { address: string; name: string | null } | null;
  to: string[];
  subject: string;
  /** The whole plain text, quoted history included. */
  fullText: string;
  /** Only what the customer wrote this time: quoted history and signature removed. */
  replyText: string;
  /** The HTML body made safe to display, or null. */
  safeHtml: string | null;
  contentLanguage: string | null;
  /** Why this mail is automatic (auto-reply, list, daemon…), or null for a person's mail. */
  automated: string | null;
  /** A delivery status notification (bounce): what it reports about. */
  bounce: { recipient: string | null; reason: string | null } | null;
  /** The mail's provider-added Authentication-Results header (IMAP mail), if any. */
  authenticationResults: string | null;
  attachments: EmailAttachment[];
};

const ID = /<([^<>\s]+)>/g;

/** `<a@b> <c@d>` or a list of them, to bare ids. */
export function messageIdsOf(value: string | string[] | undefined | null): string[] {
  const all = (Array.isArray(value) ? value : value ? [value] : []).join(' ');
  const found = [...all.matchAll(ID)].map((m) => m[1] ?? '').filter(Boolean);
  if (found.length > 0) return found;
  return all.split(/\s+/).filter((v) => v.includes('@'));
}

function headerText(value: HeaderValue | undefined): string | null {
  if (value === undefined) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value))
    return value.map((v) => (typeof v === 'string' ? v : v.value)).join(', ');
  if (value instanceof Date) return value.toISOString();
  if ('value' in value && typeof value.value === 'string') return value.value;
  if ('text' in value && typeof value.text === 'string') return value.text;
  return null;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((a) => a.value.map((v) => v.address?.toLowerCase() ?? '')).filter(Boolean);
}

const DAEMON_SENDER =
  /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|noreply-.*|bounces?|auto-?reply|autoresponder)$/i;

/**
 * Why a mail must never be answered automatically (RFC 3834 and the headers vacation
 * responders and lists use), or null. Answering these is how mail loops start.
 */
export function automatedReason(
  headers: { get(key: string): HeaderValue | undefined; has(key: string): boolean },
  fromAddress: string | null,
): string | null {
  const autoSubmitted = headerText(headers.get('auto-submitted'))?.trim().toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return `auto-submitted: ${autoSubmitted}`;
  const precedence = headerText(headers.get('precedence'))?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence))
    return `precedence: ${precedence}`;
  for (const name of [
    'x-autoreply',
    'x-autorespond',
    'x-autoresponder',
    'x-auto-response-suppress',
  ]) {
    if (headers.has(name)) return name;
  }
  if (headers.has('list-id') || headers.has('list-unsubscribe')) return 'mailing list';
  const local = fromAddress?.slice(0, fromAddress.lastIndexOf('@')) ?? '';
  if (!fromAddress || DAEMON_SENDER.test(local)) return `sender: ${fromAddress ?? 'none'}`;
  return null;
}

function bounceOf(
  headers: { get(key: string): HeaderValue | undefined },
  raw: string,
): ParsedEmail['bounce'] {
  const type = headers.get('content-type');
  if (!type || typeof type !== 'object' || !('value' in type) || !('params' in type)) return null;
  const params = type.params as Record<string, string>;
  if (
    String(type.value).toLowerCase() !== 'multipart/report' ||
    params['report-type']?.toLowerCase() !== 'delivery-status'
  )
    return null;
  const recipient = raw.match(/^Final-Recipient:\s*[^;\r\n]*;\s*([^\r\n]+)/im)?.[1]?.trim() ?? null;
  const reason =
    raw
      .match(/^Diagnostic-Code:\s*[^;\r\n]*;\s*([^\r\n]+)/im)?.[1]
      ?.trim()
      .slice(0, 300) ??
    raw.match(/^Status:\s*([^\r\n]+)/im)?.[1]?.trim() ??
    null;
  return { recipient, reason };
}

/** Only formatting and links survive; no scripts, styles, forms, remote images or event handlers. */
export function sanitizeEmailHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: [
      'p',
      'br',
      'div',
      'span',
      'b',
      'strong',
      'i',
      'em',
      'u',
      's',
      'blockquote',
      'pre',
      'code',
      'ul',
      'ol',
      'li',
      'h1',
      'h2',
      'h3',
      'h4',
      'table',
      'thead',
      'tbody',
      'tr',
      'td',
      'th',
      'a',
      'hr',
    ],
    allowedAttributes: { a: ['href'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    transformTags: {
      a: sanitizeHtml.simpleTransform('a', {
        rel: 'noopener noreferrer nofollow',
        target: '_blank',
      }),
    },
  });
}

function htmlToText(html: string): string {
  return sanitizeHtml(html.replace(/<(br|\/p|\/div|\/li|\/tr)\b[^>]*>/gi, '\n$&'), {
    allowedTags: [],
    allowedAttributes: {},
  })
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The new part of a reply: email-reply-parser drops quotes and signatures; `>` lines go too. */
export function visibleReply(fullText: string): string {
  let visible = fullText;
  try {
    visible = new EmailReplyParser().parseReply(fullText);
  } catch {
    // A parser failure only costs the quote stripping.
  }
  visible = visible
    .split('\n')
    .filter((line) => !line.startsWith('>'))
    .join('\n')
    // Chinese clients' quote header: `在 2024年5月1日 …写道：` and Outlook's separator.
    .replace(/\n(在.{0,200}写道[:：]|-{2,}\s*(原始邮件|Original Message)\s*-{2,})[\s\S]*$/, '')
    .trim();
  return visible || fullText.trim();
}

/** PostgreSQL text cannot hold NUL characters; a mail may carry them anywhere (headers too). */
function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('\u0000', '') as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (value && typeof value === 'object' && !Buffer.isBuffer(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNul(v)])) as T;
  return value;
}

export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  return withoutNul(await parseEmailFields(raw));
}

async function parseEmailFields(raw: Buffer): Promise<ParsedEmail> {
  const { simpleParser } = await import('mailparser');
  const mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const from = mail.from?.value[0];
  const fromAddress = from?.address?.toLowerCase() ?? null;
  const html = typeof mail.html === 'string' ? mail.html : null;
  const fullText = (mail.text ?? (html ? htmlToText(html) : '')).replace(/\r\n/g, '\n').trim();
  const authResults = headerText(mail.headers.get('authentication-results'));
  return {
    messageId: mail.messageId ? (messageIdsOf(mail.messageId)[0] ?? null) : null,
    inReplyTo: messageIdsOf(mail.inReplyTo),
    references: messageIdsOf(mail.references),
    from: fromAddress ? { address: fromAddress, name: from?.name || null } : null,
    to: addresses(mail.to),
    subject: (mail.subject ?? '').trim(),
    fullText,
    replyText: visibleReply(fullText),
    safeHtml: html ? sanitizeEmailHtml(html) : null,
    contentLanguage: headerText(mail.headers.get('content-language')),
    automated: automatedReason(mail.headers, fromAddress),
    bounce: bounceOf(mail.headers, raw.toString('latin1')),
    authenticationResults: authResults ? authResults.slice(0, 2000) : null,
    attachments: mail.attachments
      .filter((a) => a.contentDisposition !== 'inline' || a.contentType.startsWith('image/'))
      .map((a) => ({
        filename: a.filename ?? 'attachment',
        contentType: a.contentType,
        content: a.content,
      })),
  };
}

/** `[#104233]` in a subject: the ticket a reply belongs to. */
export function ticketNumberInSubject(subject: string): number | null {
  const match = subject.match(/\[#(\d{1,15})\]/);
  return match?.[1] ? Number(match[1]) : null;
}

/** The subject without reply prefixes and ticket tags, to build the answer's subject from. */
export function baseSubject(subject: string): string {
  return subject
    .replace(/\[#\d{1,15}\]/g, '')
    .replace(/^(\s*(re|fw|fwd|aw|sv|回复|答复|转发)\s*[:：]\s*)+/i, '')
    .replace(/\s+/g, ' ')
    .trim();
}
