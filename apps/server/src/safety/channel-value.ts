import { domainToASCII, domainToUnicode } from 'node:url';
import type { TOfficialChannelKind } from '@kefu/shared';
import { remove as removeConfusables } from 'confusables';
import { parse as parseDomain } from 'tldts';

/**
 * Parsing and normalizing what people type as a channel: URLs and domains, email addresses,
 * Telegram and X handles or links, phone numbers. Pure: no database, no network.
 */

export type DomainParts = {
  /** Lower-case ASCII (IDN as punycode), without a trailing dot. */
  hostname: string;
  /** The registrable domain (`support.demo-exchange.example` → `demo-exchange.example`). */
  registrable: string;
  /** The registrable domain without its public suffix (`demo-exchange`), ASCII. */
  label: string;
  /** `label` as displayed (punycode decoded). */
  labelUnicode: string;
  /** The public suffix (`example`, `co.uk`). */
  suffix: string;
  /** The labels before the registrable domain (`support`), ASCII; '' when none. */
  subdomain: string;
  /** Some label is an internationalized (punycode) one. */
  idn: boolean;
};

const TELEGRAM_HOSTS = new Set(['t.me', 'telegram.me', 'telegram.dog']);
const X_HOSTS = new Set(['x.com', 'twitter.com']);
/** Paths of x.com that are not accounts. */
const X_RESERVED = new Set([
  'home',
  'i',
  'intent',
  'search',
  'explore',
  'hashtag',
  'settings',
  'share',
  'messages',
  'notifications',
  'login',
  'signup',
  'tos',
  'privacy',
]);

/** Registrable domain and parts of a hostname, or null when it is not a public domain name. */
export function domainParts(host: string): DomainParts | null {
  const ascii = domainToASCII(host.trim().replace(/\.$/, '').toLowerCase());
  if (!ascii.includes('.')) return null;
  const tld = ascii.slice(ascii.lastIndexOf('.') + 1);
  if (!/^(?:[a-z]{2,63}|xn--[a-z0-9-]{2,59})$/.test(tld)) return null;
  const parsed = parseDomain(ascii);
  if (parsed.isIp || !parsed.domain || !parsed.publicSuffix || !parsed.domainWithoutSuffix)
    return null;
  return {
    hostname: ascii,
    registrable: parsed.domain,
    label: parsed.domainWithoutSuffix,
    labelUnicode: domainToUnicode(parsed.domainWithoutSuffix) || parsed.domainWithoutSuffix,
    suffix: parsed.publicSuffix,
    subdomain: parsed.subdomain ?? '',
    idn: ascii.split('.').some((l) => l.startsWith('xn--')),
  };
}

function isIpAddress(host: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || (host.startsWith('[') && host.endsWith(']'));
}

/** A URL from a full link or a bare `host/path`; null when it cannot be one. */
function toUrl(text: string): URL | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  try {
    const url = new URL(withScheme);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

function bareHost(hostname: string): string {
  return hostname.replace(/\.$/, '').replace(/^(?:www|mobile|m)\./, '');
}

function firstPathSegment(url: URL): string {
  return decodeURIComponent(url.pathname.split('/').find((s) => s !== '') ?? '');
}

export type SocialLink =
  | { network: 'telegram' | 'x'; handle: string }
  | { network: 'telegram'; invite: string };

/** A Telegram or X profile link (`t.me/name`, `x.com/name/status/1`); null for other URLs. */
function socialLinkOf(url: URL): SocialLink | null {
  const host = bareHost(url.hostname);
  if (TELEGRAM_HOSTS.has(host)) {
    const segments = url.pathname.split('/').filter((s) => s !== '');
    const [first = '', second = ''] = segments;
    if (first.startsWith('+') || first === 'joinchat')
      return { network: 'telegram', invite: `t.me${url.pathname}` };
    const handle = first === 's' ? second : first;
    return handle ? { network: 'telegram', handle: decodeURIComponent(handle) } : null;
  }
  if (X_HOSTS.has(host)) {
    const handle = firstPathSegment(url);
    return handle && !X_RESERVED.has(handle.toLowerCase()) ? { network: 'x', handle } : null;
  }
  return null;
}

// Network rules for the registry: Telegram usernames are 5–32 of a-z, 0-9 and _, start with a
// letter and do not end with _; X usernames are 1–15 of a-z, 0-9 and _. Both are case-insensitive.
const TELEGRAM_HANDLE = /^[a-z][a-z0-9_]{3,30}[a-z0-9]$/;
const X_HANDLE = /^[a-z0-9_]{1,15}$/;

function handleFor(network: 'telegram' | 'x', raw: string): string | null {
  const text = raw.trim();
  let handle = text.replace(/^@/, '');
  if (/[./:]/.test(text)) {
    const url = toUrl(text);
    const link = url ? socialLinkOf(url) : null;
    if (!link || link.network !== network || !('handle' in link)) return null;
    handle = link.handle;
  }
  handle = handle.toLowerCase();
  return (network === 'telegram' ? TELEGRAM_HANDLE : X_HANDLE).test(handle) ? handle : null;
}

const EMAIL = /^([^\s@<>()[\]\\,;:"]+)@([^\s@<>()[\]\\,;:"/]+)$/;

export type EmailParts = { address: string; local: string; domain: DomainParts };

export function emailParts(raw: string): EmailParts | null {
  const match = EMAIL.exec(raw.trim().replace(/^mailto:/i, ''));
  if (!match?.[1] || !match[2]) return null;
  const local = match[1].toLowerCase();
  if (local.length > 64 || local.startsWith('.') || local.endsWith('.') || local.includes('..'))
    return null;
  const domain = domainParts(match[2]);
  if (!domain) return null;
  return { address: `${local}@${domain.hostname}`, local, domain };
}

export type PhoneParts = { normalized: string; digits: string; international: boolean };

/** `+1 (555) 010-0100`, `0065 6123 4567`, `tel:+6561234567`; null when it is not a number. */
export function phoneParts(raw: string): PhoneParts | null {
  const text = raw.trim().replace(/^tel:/i, '');
  if (!/^\+?[\d\s().\-/]+$/.test(text) || isIpAddress(text)) return null;
  let digits = text.replace(/\D/g, '');
  let international = text.startsWith('+');
  if (!international && digits.startsWith('00')) {
    digits = digits.slice(2);
    international = true;
  }
  if (digits.length < 6 || digits.length > 15) return null;
  return { normalized: international ? `+${digits}` : digits, digits, international };
}

/**
 * The stored form of an official channel's value, or null when it is not valid for its kind:
 * a domain (or a URL) becomes its registrable domain; emails and handles are lower-cased; handles
 * lose their @ and link; phone numbers keep + and digits.
 */
export function normalizeOfficialValue(kind: TOfficialChannelKind, raw: string): string | null {
  switch (kind) {
    case 'domain': {
      const url = toUrl(raw.trim());
      if (!url || isIpAddress(url.hostname)) return null;
      // A profile on a social network is registered as a handle, never as the whole network.
      if (TELEGRAM_HOSTS.has(bareHost(url.hostname)) || X_HOSTS.has(bareHost(url.hostname)))
        return null;
      return domainParts(url.hostname)?.registrable ?? null;
    }
    case 'email':
      return emailParts(raw)?.address ?? null;
    case 'telegram':
    case 'x':
      return handleFor(kind, raw);
    case 'phone': {
      const phone = phoneParts(raw);
      return phone && phone.digits.length >= 7 ? phone.normalized : null;
    }
  }
}

/** What the Verify check recognized in the customer's input. */
export type ParsedChannel =
  | {
      kind: 'domain';
      domain: DomainParts /** A URL's user name: `https://brand.com@evil.com`. */;
      userinfo: string;
    }
  | { kind: 'ip'; address: string }
  | { kind: 'email'; email: EmailParts }
  | { kind: 'telegram' | 'x' | 'handle'; handle: string }
  | { kind: 'telegram_invite'; link: string }
  | { kind: 'phone'; phone: PhoneParts }
  | { kind: 'unrecognized'; text: string };

/** Detects what was typed: a URL or domain, an email, a Telegram or X handle or link, a phone. */
export function parseChannelInput(raw: string): ParsedChannel {
  const text = raw
    .trim()
    .replace(/^[<"'“‘「(]+|[>"'”’」)]+$/gu, '')
    .replace(/[,;!?，。；！？]+$/u, '')
    .trim();
  if (/^tel:/i.test(text)) {
    const phone = phoneParts(text);
    if (phone) return { kind: 'phone', phone };
  }
  if (/^tg:/i.test(text)) {
    const domain = /[?&]domain=([^&]+)/.exec(text)?.[1];
    if (domain) return { kind: 'telegram', handle: decodeURIComponent(domain).toLowerCase() };
  }
  if (/^mailto:/i.test(text)) {
    const email = emailParts(text);
    return email ? { kind: 'email', email } : { kind: 'unrecognized', text };
  }
  if (/^@[\p{L}\p{N}_.-]{1,64}$/u.test(text))
    return { kind: 'handle', handle: text.slice(1).toLowerCase() };
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  // `name@host` is an email; `host/@name` (a profile page) is a URL.
  if (!hasScheme && text.includes('@') && !text.slice(0, text.indexOf('@')).includes('/')) {
    const email = emailParts(text);
    return email ? { kind: 'email', email } : { kind: 'unrecognized', text };
  }
  if (!hasScheme) {
    const phone = phoneParts(text);
    if (phone && phone.digits.length >= 7) return { kind: 'phone', phone };
  }
  if (hasScheme || (/[./]/.test(text) && !/\s/.test(text))) {
    const url = toUrl(text);
    if (!url) return { kind: 'unrecognized', text };
    const link = socialLinkOf(url);
    if (link && 'invite' in link) return { kind: 'telegram_invite', link: link.invite };
    if (link) return { kind: link.network, handle: link.handle.replace(/^@/, '').toLowerCase() };
    const host = url.hostname.replace(/\.$/, '');
    if (isIpAddress(host)) return { kind: 'ip', address: host };
    const domain = domainParts(host);
    if (!domain) return { kind: 'unrecognized', text };
    return { kind: 'domain', domain, userinfo: decodeURIComponent(url.username) };
  }
  // A name without @ (`DemoExchange`) is checked like an @handle.
  if (/^[\p{L}\p{N}_]{3,64}$/u.test(text) && /\p{L}/u.test(text))
    return { kind: 'handle', handle: text.toLowerCase() };
  return { kind: 'unrecognized', text };
}

/** Lower-case, width-folded, without separators (`-`, `_`, `.`, spaces): `Demo_Exchange` → `demoexchange`. */
export function plainForm(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\-_.·・]+/gu, '');
}

/**
 * The shape a name shows to a reader: confusable characters (Cyrillic а/е/о, Greek ο, full-width
 * letters…) mapped to Latin ones by `confusables`, accents dropped, then the ASCII look-alikes
 * folded: 0→o, 1/i/l→l, rn→m, vv→w. Two names with one skeleton look the same.
 */
export function skeleton(text: string): string {
  return removeConfusables(plainForm(text))
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[\s\-_.·・]+/gu, '')
    .replaceAll('0', 'o')
    .replace(/[1i|!]/g, 'l')
    .replaceAll('rn', 'm')
    .replaceAll('vv', 'w');
}
