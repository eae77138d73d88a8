import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../errors.ts';
import { en, pickLocale, translate, zhCN } from './index.ts';

function keys(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`),
  );
}

describe('i18n', () => {
  it('zh-CN and en have the same keys', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
  });
  it('every error code has a message', () => {
    for (const code of ERROR_CODES) {
      expect(en.errors[code], code).toBeTypeOf('string');
      expect(zhCN.errors[code], code).toBeTypeOf('string');
    }
  });
  it('picks the locale from Accept-Language', () => {
    expect(pickLocale('zh-TW,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(pickLocale('en-US,en;q=0.9')).toBe('en');
    expect(pickLocale('fr-FR;q=1, zh;q=0.5')).toBe('zh-CN');
    expect(pickLocale(undefined)).toBe('en');
  });
  it('fills variables', () => {
    expect(translate('en', 'errors.request.rate_limited', { seconds: 30 })).toBe(
      'Too many requests. Try again in 30 seconds.',
    );
    expect(translate('zh-CN', 'errors.auth.forbidden')).toBe('您的角色无权执行此操作。');
  });
});
