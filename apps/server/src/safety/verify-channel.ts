import { domainToUnicode } from 'node:url';
import type { TOfficialChannelKind, TVerifyInputKind, TVerifyVerdict } from '@kefu/shared';
import { distance } from 'fastest-levenshtein';
import {
  type DomainParts,
  domainParts,
  type EmailParts,
  type PhoneParts,
  parseChannelInput,
  plainForm,
  skeleton,
} from './channel-value.ts';

/** One registry entry, as the check needs it. `value` is normalized (see normalizeOfficialValue). */
export type OfficialChannel = { kind: TOfficialChannelKind; value: string; label: string };

export const VERIFY_REASONS = [
  'verify.reason.registered',
  'verify.reason.subdomain',
  'verify.reason.email_domain',
  'verify.reason.only_on_telegram',
  'verify.reason.only_on_x',
  'verify.reason.other_network',
  'verify.reason.homoglyph',
  'verify.reason.punycode',
  'verify.reason.other_tld',
  'verify.reason.similar_spelling',
  'verify.reason.contains_brand',
  'verify.reason.not_registered',
  'verify.reason.ip_address',
  'verify.reason.private_link',
  'verify.reason.unrecognized',
] as const;
/** An i18n key under `verify.` explaining a verdict. */
export type VerifyReason = (typeof VERIFY_REASONS)[number];

export type ChannelCheck = {
  kind: TVerifyInputKind;
  /** What was checked: registrable domain, address, handle without @, + and digits. */
  normalized: string;
  verdict: TVerifyVerdict;
  /** The official entry it is (official) or imitates (lookalike). */
  matched?: { kind: TOfficialChannelKind; label: string; value: string };
  reasons: VerifyReason[];
};

type Handle = 'telegram' | 'x';

/** A name an official channel is known by, to recognize imitations of it. */
type Brand = {
  entry: OfficialChannel;
  plain: string;
  skeleton: string;
  /** For domains: the registrable label (`demo-exchange`) and public suffix. */
  label?: string;
};

/** `edits`: how far the name's skeleton is from the brand's (0 when equal or contained). */
type LookalikeMatch = { brand: Brand; reasons: VerifyReason[]; rank: number; edits: number };

// Lower rank = stronger evidence of imitation; the strongest match is reported.
const RANK: Partial<Record<VerifyReason, number>> = {
  'verify.reason.other_network': 0,
  'verify.reason.homoglyph': 0,
  'verify.reason.other_tld': 0,
  'verify.reason.similar_spelling': 1,
  'verify.reason.contains_brand': 2,
};

/** How many edits still read as the same name: none for short names, then 1, then 2. */
function maxEdits(length: number): number {
  if (length < 5) return 0;
  if (length < 9) return 1;
  return 2;
}

/** The brands of the registry, those of the `first` kinds first (a handle is compared with handles first). */
function brandsOf(registry: OfficialChannel[], first: TOfficialChannelKind[]): Brand[] {
  const brands: Brand[] = [];
  for (const entry of registry) {
    if (entry.kind === 'domain') {
      const parts = domainParts(entry.value);
      if (!parts) continue;
      brands.push({
        entry,
        plain: plainForm(parts.labelUnicode),
        skeleton: skeleton(parts.labelUnicode),
        label: parts.label,
      });
    } else if (entry.kind === 'telegram' || entry.kind === 'x') {
      brands.push({ entry, plain: plainForm(entry.value), skeleton: skeleton(entry.value) });
    }
  }
  const order = (b: Brand): number =>
    first.includes(b.entry.kind) ? 0 : b.entry.kind === 'domain' ? 2 : 1;
  return brands.sort((a, b) => order(a) - order(b));
}

/** Whether `name` (already a skeleton) contains the brand: as a substring, or as a whole token for short brands. */
function containsBrand(name: string, tokens: string[], brand: Brand): boolean {
  if (brand.skeleton.length < 3) return false;
  if (brand.skeleton.length < 5) return tokens.includes(brand.skeleton);
  return name.includes(brand.skeleton);
}

function tokensOf(text: string): string[] {
  return text
    .split(/[\s\-_.@/]+/u)
    .filter(Boolean)
    .map((t) => skeleton(t));
}

/** How a name (a domain label or a handle) resembles one brand; null when it does not. */
function resemblance(
  name: string,
  context: string[],
  brand: Brand,
  options: { domain?: DomainParts },
): LookalikeMatch | null {
  const reasons: VerifyReason[] = [];
  let edits = 0;
  const plain = plainForm(name);
  const skel = skeleton(name);
  const domain = options.domain;
  if (domain && brand.label !== undefined && domain.label === brand.label) {
    reasons.push('verify.reason.other_tld');
  } else if (skel === brand.skeleton) {
    // Same shape: separators only (`demoexchange`), or look-alike characters (`dem0exchange`).
    reasons.push(
      plain === brand.plain ? 'verify.reason.similar_spelling' : 'verify.reason.homoglyph',
    );
  } else if (skel.length > 0 && distance(skel, brand.skeleton) <= maxEdits(brand.skeleton.length)) {
    edits = distance(skel, brand.skeleton);
    reasons.push('verify.reason.similar_spelling');
  } else {
    const texts = [name, ...context];
    if (texts.some((t) => containsBrand(skeleton(t), tokensOf(t), brand)))
      reasons.push('verify.reason.contains_brand');
  }
  if (reasons.length === 0) return null;
  if (domain?.idn) reasons.unshift('verify.reason.punycode');
  const rank = Math.min(...reasons.map((r) => RANK[r] ?? 3));
  return { brand, reasons, rank, edits };
}

/** The strongest match; between equals, the closest, then the longest (most specific) brand, then registry order. */
function strongest(matches: (LookalikeMatch | null)[]): LookalikeMatch | null {
  let best: LookalikeMatch | null = null;
  for (const match of matches) {
    if (!match) continue;
    if (
      !best ||
      match.rank < best.rank ||
      (match.rank === best.rank && match.edits < best.edits) ||
      (match.rank === best.rank &&
        match.edits === best.edits &&
        match.brand.skeleton.length > best.brand.skeleton.length)
    )
      best = match;
  }
  return best;
}

function matchedOf(entry: OfficialChannel): NonNullable<ChannelCheck['matched']> {
  return { kind: entry.kind, label: entry.label, value: entry.value };
}

function lookalike(
  kind: TVerifyInputKind,
  normalized: string,
  match: LookalikeMatch,
): ChannelCheck {
  return {
    kind,
    normalized,
    verdict: 'lookalike',
    matched: matchedOf(match.brand.entry),
    reasons: match.reasons,
  };
}

function unknown(kind: TVerifyInputKind, normalized: string, reason: VerifyReason): ChannelCheck {
  return { kind, normalized, verdict: 'unknown', reasons: [reason] };
}

/** The imitation a domain is, if any. `context` holds other text shown with it (a URL's user name). */
function domainLookalike(
  domain: DomainParts,
  context: string[],
  registry: OfficialChannel[],
): LookalikeMatch | null {
  // The hostname without its public suffix: `demo-exchange.example.evil` for `….evil.com`.
  const host = domain.hostname.slice(0, -(domain.suffix.length + 1));
  const shown = host
    .split('.')
    .map((l) => (l.startsWith('xn--') ? domainToUnicode(l) || l : l))
    .join('.');
  return strongest(
    brandsOf(registry, ['domain']).map((brand) =>
      resemblance(domain.labelUnicode, [shown, ...context], brand, { domain }),
    ),
  );
}

function checkDomain(
  domain: DomainParts,
  userinfo: string,
  registry: OfficialChannel[],
): ChannelCheck {
  const official = registry.find((e) => e.kind === 'domain' && e.value === domain.registrable);
  if (official) {
    const sub = domain.subdomain !== '' && domain.subdomain !== 'www';
    return {
      kind: 'domain',
      normalized: domain.registrable,
      verdict: 'official',
      matched: matchedOf(official),
      reasons: [sub ? 'verify.reason.subdomain' : 'verify.reason.registered'],
    };
  }
  const match = domainLookalike(domain, userinfo ? [userinfo] : [], registry);
  if (match) return lookalike('domain', domain.registrable, match);
  return unknown('domain', domain.registrable, 'verify.reason.not_registered');
}

function checkEmail(email: EmailParts, registry: OfficialChannel[]): ChannelCheck {
  const address = registry.find((e) => e.kind === 'email' && e.value === email.address);
  const domain = registry.find((e) => e.kind === 'domain' && e.value === email.domain.registrable);
  const official = address ?? domain;
  if (official)
    return {
      kind: 'email',
      normalized: email.address,
      verdict: 'official',
      matched: matchedOf(official),
      reasons: [address ? 'verify.reason.registered' : 'verify.reason.email_domain'],
    };
  // `support@demo-exchange.co`, or the brand as the name at a free mail provider.
  const match = domainLookalike(email.domain, [email.local], registry);
  if (match) return lookalike('email', email.address, match);
  return unknown('email', email.address, 'verify.reason.not_registered');
}

function checkHandle(
  handle: string,
  kind: 'telegram' | 'x' | 'handle',
  registry: OfficialChannel[],
): ChannelCheck {
  const networks: Handle[] = kind === 'handle' ? ['telegram', 'x'] : [kind];
  const found = networks
    .map((n) => registry.find((e) => e.kind === n && e.value === handle))
    .filter((e): e is OfficialChannel => e !== undefined);
  const [first, second] = found;
  if (first) {
    const reasons: VerifyReason[] = ['verify.reason.registered'];
    // `@name` is official on one network only: the same name on the other is not ours.
    if (kind === 'handle' && !second)
      reasons.push(
        first.kind === 'telegram' ? 'verify.reason.only_on_telegram' : 'verify.reason.only_on_x',
      );
    const label = second ? `${first.label} / ${second.label}` : first.label;
    return {
      kind: second ? 'handle' : first.kind,
      normalized: handle,
      verdict: 'official',
      matched: { ...matchedOf(first), label },
      reasons,
    };
  }
  const elsewhere = registry.find(
    (e) =>
      (e.kind === 'telegram' || e.kind === 'x') && !networks.includes(e.kind) && e.value === handle,
  );
  if (elsewhere)
    return {
      kind,
      normalized: handle,
      verdict: 'lookalike',
      matched: matchedOf(elsewhere),
      reasons: ['verify.reason.other_network'],
    };
  const match = strongest(
    brandsOf(registry, networks).map((brand) => resemblance(handle, [], brand, {})),
  );
  if (match) return lookalike(kind, handle, match);
  return unknown(kind, handle, 'verify.reason.not_registered');
}

function samePhone(phone: PhoneParts, official: string): boolean {
  const digits = official.replace(/\D/g, '');
  if (digits === phone.digits) return true;
  // A number typed in national form (`6123 4567`, `020 7946 0000`) matches the end of the official one.
  if (phone.international) return false;
  const national = phone.digits.replace(/^0/, '');
  return national.length >= 7 && digits.endsWith(national);
}

function checkPhone(phone: PhoneParts, registry: OfficialChannel[]): ChannelCheck {
  const official = registry.find((e) => e.kind === 'phone' && samePhone(phone, e.value));
  if (official)
    return {
      kind: 'phone',
      normalized: phone.normalized,
      verdict: 'official',
      matched: matchedOf(official),
      reasons: ['verify.reason.registered'],
    };
  return unknown('phone', phone.normalized, 'verify.reason.not_registered');
}

/**
 * Is what a customer was given (a link, an email address, a Telegram or X account, a phone
 * number) one of the exchange's official channels, an imitation of one, or unknown?
 */
export function verifyChannel(input: string, registry: OfficialChannel[]): ChannelCheck {
  const parsed = parseChannelInput(input);
  switch (parsed.kind) {
    case 'domain':
      return checkDomain(parsed.domain, parsed.userinfo, registry);
    case 'ip':
      return unknown('domain', parsed.address, 'verify.reason.ip_address');
    case 'email':
      return checkEmail(parsed.email, registry);
    case 'telegram':
    case 'x':
    case 'handle':
      return checkHandle(parsed.handle, parsed.kind, registry);
    case 'telegram_invite':
      return unknown('telegram', parsed.link, 'verify.reason.private_link');
    case 'phone':
      return checkPhone(parsed.phone, registry);
    case 'unrecognized':
      return unknown('unrecognized', parsed.text.slice(0, 200), 'verify.reason.unrecognized');
  }
}
