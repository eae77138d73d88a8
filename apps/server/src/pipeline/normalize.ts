import { MESSAGE_MAX } from '@kefu/shared';

/** Unicode NFC, no control characters but newlines and tabs, trimmed, within the length limit. */
export function normalizeText(text: string): string {
  return (
    text
      .normalize('NFC')
      .replace(/\r\n?/g, '\n')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200d\u2060\ufeff]/g, '')
      .trim()
      .slice(0, MESSAGE_MAX)
  );
}

/** zh-CN when the text has Chinese characters, else en. A stated locale wins. */
export function detectLanguage(text: string, stated?: string | null): 'zh-CN' | 'en' {
  if (stated?.toLowerCase().startsWith('zh')) return 'zh-CN';
  if (stated?.toLowerCase().startsWith('en')) return 'en';
  return /[\u3400-\u9fff]/.test(text) ? 'zh-CN' : 'en';
}
