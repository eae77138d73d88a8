import type { TOfficialChannelKind } from '@kefu/shared';
import { describe, expect, it } from 'vitest';
import { normalizeOfficialValue, skeleton } from './channel-value.ts';

const valid: [TOfficialChannelKind, string, string][] = [
  ['domain', 'demo-exchange.example', 'demo-exchange.example'],
  ['domain', 'https://support.Demo-Exchange.example/login?x=1', 'demo-exchange.example'],
  ['domain', 'WWW.EXAMPLE.CO.UK', 'example.co.uk'],
  ['domain', 'münchen.de', 'xn--mnchen-3ya.de'],
  ['email', ' Support@Demo-Exchange.example ', 'support@demo-exchange.example'],
  ['email', 'mailto:help@demo-exchange.example', 'help@demo-exchange.example'],
  ['telegram', '@DemoExchange', 'demoexchange'],
  ['telegram', 'https://t.me/DemoExchangeCN', 'demoexchangecn'],
  ['telegram', 'telegram.me/demo_exchange_bot', 'demo_exchange_bot'],
  ['x', '@DemoExchange', 'demoexchange'],
  ['x', 'https://twitter.com/DemoExchange', 'demoexchange'],
  ['x', 'x.com/Demo_Ex/status/1', 'demo_ex'],
  ['phone', '+65 6123-4567', '+6561234567'],
  ['phone', '0065 (6123) 4567', '+6561234567'],
  ['phone', 'tel:+1-555-010-0100', '+15550100100'],
];

const invalid: [TOfficialChannelKind, string][] = [
  ['domain', 'localhost'],
  ['domain', '192.168.1.1'],
  ['domain', 'not a domain'],
  ['domain', 'https://t.me/DemoExchange'],
  ['domain', 'x.com'],
  ['email', 'support@'],
  ['email', 'support@localhost'],
  ['email', 'two@@demo-exchange.example'],
  ['telegram', '@abc'],
  ['telegram', '@1demo'],
  ['telegram', '@demo-exchange'],
  ['telegram', '@demoexchange_'],
  ['telegram', 'https://x.com/DemoExchange'],
  ['x', '@this_is_far_too_long_for_x'],
  ['x', '@demo.exchange'],
  ['x', 'https://t.me/DemoExchange'],
  ['phone', '12345'],
  ['phone', '+1 555 CALL NOW'],
];

describe('normalizeOfficialValue', () => {
  it.each(valid)('%s %s → %s', (kind, raw, expected) => {
    expect(normalizeOfficialValue(kind, raw)).toBe(expected);
  });
  it.each(invalid)('%s %s is refused', (kind, raw) => {
    expect(normalizeOfficialValue(kind, raw)).toBeNull();
  });
});

describe('skeleton', () => {
  it('maps look-alike characters and drops separators', () => {
    expect(skeleton('DemoExchange')).toBe(skeleton('demo-exchange'));
    expect(skeleton('dеmо_ехсhаngе')).toBe(skeleton('demo-exchange')); // Cyrillic
    expect(skeleton('demο')).toBe(skeleton('demo')); // Greek omicron
    expect(skeleton('dem0')).toBe(skeleton('demo'));
    expect(skeleton('bitrnart')).toBe(skeleton('bitmart'));
    expect(skeleton('paypa1')).toBe(skeleton('PayPal'));
    expect(skeleton('paypaI')).toBe(skeleton('paypal'));
    expect(skeleton('ｄｅｍｏ')).toBe('demo');
    expect(skeleton('google')).not.toBe(skeleton('demo'));
  });
});
