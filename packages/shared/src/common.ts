import { z } from 'zod';

export const LOCALES = ['zh-CN', 'en'] as const;
export const ZLocale = z.enum(LOCALES);
export type TLocale = z.infer<typeof ZLocale>;

export const ZId = z.uuid().describe('Identifier (UUID)');
export const ZIdParams = z.object({ id: ZId });
export type TIdParams = z.infer<typeof ZIdParams>;

export const ZEmail = z
  .string()
  .trim()
  .max(254, 'An email address has at most 254 characters')
  .pipe(z.email('Enter a valid email address'))
  .transform((value) => value.toLowerCase());

export const ZIsoDate = z.iso.datetime({ offset: true });

export const ZOk = z.object({ ok: z.literal(true) });
