import { z } from 'zod';
import { ZId, ZIsoDate } from './common.ts';

/** `info` (maintenance, listings) or `incident` (something is broken for customers now). */
export const ANNOUNCEMENT_SEVERITIES = ['info', 'incident'] as const;
export const ZAnnouncementSeverity = z.enum(ANNOUNCEMENT_SEVERITIES);
export type TAnnouncementSeverity = z.infer<typeof ZAnnouncementSeverity>;

/** Derived from the times: not started yet, showing, past its end, or resolved by an admin. */
export const ZAnnouncementState = z.enum(['scheduled', 'active', 'ended', 'resolved']);
export type TAnnouncementState = z.infer<typeof ZAnnouncementState>;

const ZBannerText = z
  .string()
  .trim()
  .min(1, 'Write the banner text')
  .max(200, 'A banner has at most 200 characters');
const ZDetails = z.string().trim().max(2000, 'Details have at most 2000 characters');

/** One text per language: customers see theirs. */
export const ZLocalizedBanner = z.strictObject({ en: ZBannerText, 'zh-CN': ZBannerText });
export const ZLocalizedDetails = z.strictObject({ en: ZDetails, 'zh-CN': ZDetails });

const ZTag = z.string().trim().min(1).max(60);
const ZIntentTag = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/, 'An intent looks like withdrawal.pending')
  .max(80);
const ZAsset = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{2,12}$/, 'An asset is a symbol such as ETH or USDT')
  .transform((v) => v.toUpperCase());

const announcementFields = {
  severity: ZAnnouncementSeverity,
  text: ZLocalizedBanner.describe('The banner, in both languages'),
  details: ZLocalizedDetails.optional().describe(
    'More about it (workaround, expected fix), in both languages; the assistant adds it to its answer',
  ),
  startsAt: ZIsoDate.nullable().optional().describe('Shown from this time (default: now)'),
  endsAt: ZIsoDate.nullable()
    .optional()
    .describe('Hidden after this time (default: until resolved)'),
  intents: z
    .array(ZIntentTag)
    .max(20)
    .optional()
    .describe('Customer questions with these intents get this announcement from the assistant'),
  keywords: z
    .array(ZTag)
    .max(30)
    .optional()
    .describe('…or containing one of these words (any language)'),
  assets: z
    .array(ZAsset)
    .max(20)
    .optional()
    .describe('…and, when given, naming one of these assets (ETH, USDT…)'),
};

const endAfterStart = (v: { startsAt?: string | null; endsAt?: string | null }) =>
  !v.startsAt || !v.endsAt || Date.parse(v.endsAt) > Date.parse(v.startsAt);
const END_AFTER_START = { message: 'The end must be after the start', path: ['endsAt'] };

export const ZCreateAnnouncement = z
  .strictObject(announcementFields)
  .refine(endAfterStart, END_AFTER_START)
  .meta({ id: 'CreateAnnouncement' });
export type TCreateAnnouncement = z.infer<typeof ZCreateAnnouncement>;

export const ZUpdateAnnouncement = z
  .strictObject({
    severity: announcementFields.severity.optional(),
    text: ZLocalizedBanner.optional(),
    details: ZLocalizedDetails.optional(),
    startsAt: announcementFields.startsAt,
    endsAt: announcementFields.endsAt,
    intents: announcementFields.intents,
    keywords: announcementFields.keywords,
    assets: announcementFields.assets,
  })
  .refine(endAfterStart, END_AFTER_START)
  .meta({ id: 'UpdateAnnouncement' });
export type TUpdateAnnouncement = z.infer<typeof ZUpdateAnnouncement>;

export const ZAnnouncement = z
  .object({
    id: ZId,
    severity: ZAnnouncementSeverity,
    state: ZAnnouncementState,
    text: z.object({ en: z.string(), 'zh-CN': z.string() }),
    details: z.object({ en: z.string(), 'zh-CN': z.string() }),
    startsAt: z.string(),
    endsAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    intents: z.array(z.string()),
    keywords: z.array(z.string()),
    assets: z.array(z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Announcement' });
export type TAnnouncement = z.infer<typeof ZAnnouncement>;

export const ZAnnouncementList = z
  .object({ announcements: z.array(ZAnnouncement) })
  .meta({ id: 'AnnouncementList' });

/** What customers see (help center, widget): current announcements, both languages. */
export const ZPublicAnnouncement = z
  .object({
    id: ZId,
    severity: ZAnnouncementSeverity,
    text: z.object({ en: z.string(), 'zh-CN': z.string() }),
    details: z.object({ en: z.string(), 'zh-CN': z.string() }),
    startsAt: z.string(),
    endsAt: z.string().nullable(),
  })
  .meta({ id: 'PublicAnnouncement' });
export type TPublicAnnouncement = z.infer<typeof ZPublicAnnouncement>;
export const ZPublicAnnouncementList = z
  .object({ announcements: z.array(ZPublicAnnouncement) })
  .meta({ id: 'PublicAnnouncementList' });
