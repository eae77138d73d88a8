import { describe, expect, it } from 'vitest';
import { consoleEn, consoleZhCN } from './index.ts';

function entries(value: object, prefix = ''): [string, string][] {
  return Object.entries(value).flatMap(([k, v]) =>
    typeof v === 'string'
      ? [[`${prefix}${k}`, v] as [string, string]]
      : entries(v, `${prefix}${k}.`),
  );
}

const variables = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('console i18n', () => {
  const en = new Map(entries(consoleEn));
  const zh = new Map(entries(consoleZhCN));

  it('zh-CN and en have the same keys', () => {
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it('every string is filled in and uses the same variables in both languages', () => {
    for (const [key, text] of en) {
      const other = zh.get(key) ?? '';
      expect(text.trim(), key).not.toBe('');
      expect(other.trim(), key).not.toBe('');
      expect(variables(other), key).toEqual(variables(text));
    }
  });
});
