import { z } from 'zod';
import { ZId, ZLocale } from './common.ts';

export const CANNED_TEXT_MAX = 5000;

export const ZCannedShortcut = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}_-]{2,40}$/u, 'A shortcut has 2 to 40 letters, digits, - or _ (no spaces)')
  .transform((value) => value.toLowerCase());

const ZCannedText = z
  .string()
  .max(CANNED_TEXT_MAX, `A text has at most ${CANNED_TEXT_MAX} characters`)
  .refine((t) => t.trim().length > 0, 'A text cannot be empty');

export const ZCannedTexts = z
  .strictObject({ 'zh-CN': ZCannedText.optional(), en: ZCannedText.optional() })
  .refine((t) => Boolean(t['zh-CN'] ?? t.en), 'Give the text in at least one language')
  .describe(
    'The reply per locale. Variables: {{customer.name}}, {{customer.email}}, {{agent.name}}, {{ticket.number}}, {{exchange.name}}',
  );
export type TCannedTexts = z.infer<typeof ZCannedTexts>;

const ZCannedTitle = z.string().trim().min(1, 'Give a title').max(120);

export const ZCreateCannedResponse = z
  .strictObject({
    shortcut: ZCannedShortcut.describe('Typed after / in the reply box; unique, stored lower-case'),
    title: ZCannedTitle,
    texts: ZCannedTexts,
  })
  .meta({ id: 'CreateCannedResponse' });
export type TCreateCannedResponse = z.infer<typeof ZCreateCannedResponse>;

export const ZUpdateCannedResponse = z
  .strictObject({
    shortcut: ZCannedShortcut.optional(),
    title: ZCannedTitle.optional(),
    texts: ZCannedTexts.optional().describe('Replaces all texts'),
  })
  .meta({ id: 'UpdateCannedResponse' });
export type TUpdateCannedResponse = z.infer<typeof ZUpdateCannedResponse>;

export const ZCannedResponse = z
  .object({
    id: ZId,
    shortcut: z.string(),
    title: z.string(),
    texts: z.object({ 'zh-CN': z.string().optional(), en: z.string().optional() }),
    createdBy: ZId.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'CannedResponse' });
export type TCannedResponse = z.infer<typeof ZCannedResponse>;

export const ZCannedResponseQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .describe('Finds shortcuts, titles and texts containing this'),
});
export const ZCannedResponseList = z
  .object({ cannedResponses: z.array(ZCannedResponse) })
  .meta({ id: 'CannedResponseList' });

export const ZRenderCannedResponse = z
  .strictObject({
    conversationId: ZId,
    locale: ZLocale.optional().describe("Default: the conversation's language"),
  })
  .meta({ id: 'RenderCannedResponse' });
export type TRenderCannedResponse = z.infer<typeof ZRenderCannedResponse>;

export const ZRenderedCannedResponse = z
  .object({
    text: z.string(),
    locale: ZLocale.describe(
      'The language of the text (the other one when the asked one is missing)',
    ),
    missing: z
      .array(z.string())
      .describe('Known variables without a value for this conversation (left empty in the text)'),
  })
  .meta({ id: 'RenderedCannedResponse' });
export type TRenderedCannedResponse = z.infer<typeof ZRenderedCannedResponse>;

export const ZPreviewCannedText = z
  .strictObject({
    text: ZCannedText,
    locale: ZLocale.default('en').describe('Language of the sample customer'),
  })
  .meta({ id: 'PreviewCannedText' });
export type TPreviewCannedText = z.infer<typeof ZPreviewCannedText>;

export const ZCannedPreview = z
  .object({
    text: z.string().describe('The text with its variables filled from a sample conversation'),
    unknown: z
      .array(z.string())
      .describe('{{names}} that are not variables (left as written: probably a typo)'),
  })
  .meta({ id: 'CannedPreview' });
export type TCannedPreview = z.infer<typeof ZCannedPreview>;
