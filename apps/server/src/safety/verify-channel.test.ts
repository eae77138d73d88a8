import { domainToASCII } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type OfficialChannel, type VerifyReason, verifyChannel } from './verify-channel.ts';

/** The demo exchange's registry, as normalized values (see normalizeOfficialValue). */
const DEMO: OfficialChannel[] = [
  { kind: 'domain', value: 'demo-exchange.example', label: 'Website' },
  { kind: 'email', value: 'support@demo-exchange.example', label: 'Support email' },
  { kind: 'telegram', value: 'demoexchange', label: 'Telegram' },
  { kind: 'telegram', value: 'demoexchangecn', label: 'Telegram (中文)' },
  { kind: 'x', value: 'demoexchange', label: 'X' },
];

/** A second brand, to show nothing is specific to the demo one. */
const BITMART: OfficialChannel[] = [
  { kind: 'domain', value: 'bitmart.com', label: 'Website' },
  { kind: 'telegram', value: 'bitmartexchange', label: 'Telegram' },
  { kind: 'x', value: 'bitmart', label: 'X' },
  { kind: 'phone', value: '+6561234567', label: 'Hotline' },
];

/** A brand too short to be searched for inside other words. */
const OKX: OfficialChannel[] = [{ kind: 'domain', value: 'okx.com', label: 'Website' }];

type Case = {
  input: string;
  registry?: OfficialChannel[];
  kind: string;
  normalized?: string;
  verdict: 'official' | 'lookalike' | 'unknown';
  /** Reasons that must be given (others may be too). */
  reasons?: VerifyReason[];
  /** The official value it is or imitates. */
  matched?: string;
};

const r = (name: string) => `verify.reason.${name}` as VerifyReason;

const cyrillic = 'dеmо-ехсhаngе.example'; // е, о, х, с, а are Cyrillic
const greek = 'demο-exchange.com'; // ο is Greek omicron

const cases: Case[] = [
  // Official
  {
    input: 'https://support.demo-exchange.example/login',
    kind: 'domain',
    normalized: 'demo-exchange.example',
    verdict: 'official',
    reasons: [r('subdomain')],
    matched: 'demo-exchange.example',
  },
  {
    input: 'demo-exchange.example',
    kind: 'domain',
    verdict: 'official',
    reasons: [r('registered')],
  },
  {
    input: 'https://www.demo-exchange.example',
    kind: 'domain',
    verdict: 'official',
    reasons: [r('registered')],
  },
  { input: 'HTTPS://DEMO-EXCHANGE.EXAMPLE/zh-CN/', kind: 'domain', verdict: 'official' },
  { input: 'demo-exchange.example.', kind: 'domain', verdict: 'official' },
  {
    input: 'support@demo-exchange.example',
    kind: 'email',
    verdict: 'official',
    reasons: [r('registered')],
    matched: 'support@demo-exchange.example',
  },
  {
    input: 'Support@Demo-Exchange.Example',
    kind: 'email',
    normalized: 'support@demo-exchange.example',
    verdict: 'official',
  },
  { input: 'mailto:support@demo-exchange.example', kind: 'email', verdict: 'official' },
  {
    input: 'noreply@mail.demo-exchange.example',
    kind: 'email',
    verdict: 'official',
    reasons: [r('email_domain')],
    matched: 'demo-exchange.example',
  },
  {
    input: '@DemoExchange',
    kind: 'handle',
    normalized: 'demoexchange',
    verdict: 'official',
    reasons: [r('registered')],
  },
  { input: 'DemoExchange', kind: 'handle', verdict: 'official' },
  {
    input: '@DemoExchangeCN',
    kind: 'telegram',
    verdict: 'official',
    reasons: [r('registered'), r('only_on_telegram')],
    matched: 'demoexchangecn',
  },
  { input: 't.me/DemoExchange', kind: 'telegram', verdict: 'official', matched: 'demoexchange' },
  { input: 'https://t.me/s/DemoExchangeCN', kind: 'telegram', verdict: 'official' },
  { input: 'tg://resolve?domain=DemoExchange', kind: 'telegram', verdict: 'official' },
  {
    input: 'https://x.com/DemoExchange/status/1234567890',
    kind: 'x',
    verdict: 'official',
    matched: 'demoexchange',
  },
  { input: 'twitter.com/demoexchange', kind: 'x', verdict: 'official' },

  // Look-alikes: the brand inside another name
  {
    input: 'demo-exchange-support.co',
    kind: 'domain',
    verdict: 'lookalike',
    reasons: [r('contains_brand')],
    matched: 'demo-exchange.example',
  },
  {
    input: 'https://demoexchange-help.com/login',
    kind: 'domain',
    normalized: 'demoexchange-help.com',
    verdict: 'lookalike',
    reasons: [r('contains_brand')],
  },
  {
    input: 'demo-exchange.example.secure-login.com',
    kind: 'domain',
    verdict: 'lookalike',
    reasons: [r('contains_brand')],
  },
  {
    input: 'https://demo-exchange.example@evil.example/login',
    kind: 'domain',
    normalized: 'evil.example',
    verdict: 'lookalike',
    reasons: [r('contains_brand')],
  },
  {
    input: '@DemoExchange_Help',
    kind: 'handle',
    verdict: 'lookalike',
    reasons: [r('contains_brand')],
    matched: 'demoexchange',
  },
  {
    input: '@demo_exchange_support',
    kind: 'handle',
    verdict: 'lookalike',
    reasons: [r('contains_brand')],
  },
  {
    input: 'https://t.me/DemoExchangeCN_Official',
    kind: 'telegram',
    verdict: 'lookalike',
    reasons: [r('contains_brand')],
    matched: 'demoexchangecn',
  },
  {
    input: 'demoexchange.support@gmail.com',
    kind: 'email',
    verdict: 'lookalike',
    reasons: [r('contains_brand')],
  },
  // …a different public suffix
  {
    input: 'demo-exchange.co',
    kind: 'domain',
    verdict: 'lookalike',
    reasons: [r('other_tld')],
    matched: 'demo-exchange.example',
  },
  {
    input: 'https://www.demo-exchange.com/',
    kind: 'domain',
    verdict: 'lookalike',
    reasons: [r('other_tld')],
  },
  {
    input: 'support@demo-exchange.co',
    kind: 'email',
    verdict: 'lookalike',
    reasons: [r('other_tld')],
  },
  // …a near spelling, separators
  {
    input: 'demoexchange.example',
    kind: 'domain',
    verdict: 'lookalike',
    reasons: [r('similar_spelling')],
  },
  {
    input: 'demo-exchnage.com',
    kind: 'domain',
    verdict: 'lookalike',
    reasons: [r('similar_spelling')],
  },
  {
    input: '@DemoExchangee',
    kind: 'handle',
    verdict: 'lookalike',
    reasons: [r('similar_spelling')],
  },
  {
    input: '@demo_exchange',
    kind: 'handle',
    verdict: 'lookalike',
    reasons: [r('similar_spelling')],
    matched: 'demoexchange',
  },
  {
    input: 'DEMOEXCHANGE.example',
    kind: 'domain',
    verdict: 'lookalike',
    reasons: [r('similar_spelling')],
    matched: 'demo-exchange.example',
  },
  // …homoglyphs: digit 0 for o, rn for m, 1/l/I, Cyrillic and Greek letters, punycode
  {
    input: 'dem0-exchange.example',
    kind: 'domain',
    verdict: 'lookalike',
    reasons: [r('homoglyph')],
  },
  { input: '@DernoExchange', kind: 'handle', verdict: 'lookalike', reasons: [r('homoglyph')] },
  {
    input: cyrillic,
    kind: 'domain',
    normalized: domainToASCII(cyrillic),
    verdict: 'lookalike',
    reasons: [r('punycode'), r('homoglyph')],
    matched: 'demo-exchange.example',
  },
  {
    input: `https://${domainToASCII(greek)}/wallet`,
    kind: 'domain',
    verdict: 'lookalike',
    reasons: [r('punycode'), r('homoglyph')],
  },
  { input: '@DеmoExchange', kind: 'handle', verdict: 'lookalike', reasons: [r('homoglyph')] },
  // …an official name on another network
  {
    input: 'https://x.com/DemoExchangeCN',
    kind: 'x',
    verdict: 'lookalike',
    reasons: [r('other_network')],
    matched: 'demoexchangecn',
  },

  // Unknown
  {
    input: 'google.com',
    kind: 'domain',
    normalized: 'google.com',
    verdict: 'unknown',
    reasons: [r('not_registered')],
  },
  { input: '@randomuser', kind: 'handle', verdict: 'unknown', reasons: [r('not_registered')] },
  {
    input: '+1 555 0100',
    kind: 'phone',
    normalized: '+15550100',
    verdict: 'unknown',
    reasons: [r('not_registered')],
  },
  { input: 'bob@gmail.com', kind: 'email', verdict: 'unknown' },
  { input: 'x.com/elonmusk', kind: 'x', verdict: 'unknown' },
  { input: 'medium.com/@someone', kind: 'domain', normalized: 'medium.com', verdict: 'unknown' },
  { input: 'exchange.com', kind: 'domain', verdict: 'unknown' },
  {
    input: 'https://t.me/+AbCdEf123',
    kind: 'telegram',
    verdict: 'unknown',
    reasons: [r('private_link')],
  },
  {
    input: 'http://192.168.1.20/login',
    kind: 'domain',
    verdict: 'unknown',
    reasons: [r('ip_address')],
  },
  {
    input: 'please help me',
    kind: 'unrecognized',
    verdict: 'unknown',
    reasons: [r('unrecognized')],
  },
  { input: 'bitmart-support.co', kind: 'domain', verdict: 'unknown' },

  // A second brand: the same rules, nothing specific to the demo
  {
    input: 'bitmart-support.co',
    registry: BITMART,
    kind: 'domain',
    verdict: 'lookalike',
    reasons: [r('contains_brand')],
    matched: 'bitmart.com',
  },
  {
    input: 'https://www.bitmart.com/en-US',
    registry: BITMART,
    kind: 'domain',
    verdict: 'official',
  },
  {
    input: 'bitmart.io',
    registry: BITMART,
    kind: 'domain',
    verdict: 'lookalike',
    reasons: [r('other_tld')],
  },
  {
    input: 'bitrnart.com',
    registry: BITMART,
    kind: 'domain',
    verdict: 'lookalike',
    reasons: [r('homoglyph')],
  },
  {
    input: '@BitMart',
    registry: BITMART,
    kind: 'x',
    verdict: 'official',
    reasons: [r('registered'), r('only_on_x')],
  },
  {
    input: 't.me/BitMart_Exchange_Support',
    registry: BITMART,
    kind: 'telegram',
    verdict: 'lookalike',
    reasons: [r('contains_brand')],
    matched: 'bitmartexchange',
  },
  {
    input: '+65 6123 4567',
    registry: BITMART,
    kind: 'phone',
    verdict: 'official',
    matched: '+6561234567',
  },
  { input: '0065-6123-4567', registry: BITMART, kind: 'phone', verdict: 'official' },
  { input: '6123 4567', registry: BITMART, kind: 'phone', verdict: 'official' },
  { input: '+65 6123 4568', registry: BITMART, kind: 'phone', verdict: 'unknown' },
  { input: 'demo-exchange.example', registry: BITMART, kind: 'domain', verdict: 'unknown' },
  // A short brand is only recognized as a whole word
  {
    input: 'okx-support.com',
    registry: OKX,
    kind: 'domain',
    verdict: 'lookalike',
    reasons: [r('contains_brand')],
  },
  { input: 'bookxyz.com', registry: OKX, kind: 'domain', verdict: 'unknown' },
];

describe('verifyChannel', () => {
  it('has a large table', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('$input → $verdict', (c) => {
    const result = verifyChannel(c.input, c.registry ?? DEMO);
    expect(result.kind).toBe(c.kind);
    expect(result.verdict).toBe(c.verdict);
    if (c.normalized !== undefined) expect(result.normalized).toBe(c.normalized);
    for (const reason of c.reasons ?? []) expect(result.reasons).toContain(reason);
    expect(result.reasons.length).toBeGreaterThan(0);
    if (c.matched !== undefined) expect(result.matched?.value).toBe(c.matched);
    if (c.verdict === 'unknown') expect(result.matched).toBeUndefined();
    else expect(result.matched).toBeDefined();
  });

  it('says which network an @handle is official on', () => {
    const both = verifyChannel('@DemoExchange', DEMO);
    expect(both.matched?.label).toBe('Telegram / X');
    expect(both.reasons).toEqual([r('registered')]);
  });

  it('answers unknown for everything with an empty registry', () => {
    for (const input of ['demo-exchange.example', '@DemoExchange', 'support@demo-exchange.example'])
      expect(verifyChannel(input, []).verdict).toBe('unknown');
  });
});
