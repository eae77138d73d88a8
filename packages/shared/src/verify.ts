import { z } from 'zod';
import { ZId, ZLocale } from './common.ts';

/** What an official-channel registry entry is. */
export const OFFICIAL_CHANNEL_KINDS = ['domain', 'email', 'telegram', 'x', 'phone'] as const;
export const ZOfficialChannelKind = z.enum(OFFICIAL_CHANNEL_KINDS);
export type TOfficialChannelKind = z.infer<typeof ZOfficialChannelKind>;

const ZChannelValue = z
  .string()
  .trim()
  .min(1, 'Give the domain, email address, handle or phone number')
  .max(500, 'A value has at most 500 characters');
const ZChannelLabel = z.string().trim().max(120, 'A label has at most 120 characters');
const ZChannelNotes = z.string().trim().max(1000, 'Notes have at most 1000 characters');

export const ZCreateOfficialChannel = z
  .strictObject({
    kind: ZOfficialChannelKind,
    value: ZChannelValue.describe(
      'Normalized before it is stored: a domain or URL becomes its registrable domain (lower-case, IDN as punycode); an email is lower-cased; a Telegram or X handle or link becomes the handle without @, lower-cased; a phone number keeps + and digits',
    ),
    label: ZChannelLabel.optional().describe(
      'Shown to customers, e.g. "Website", "Telegram (中文)"',
    ),
    notes: ZChannelNotes.optional().describe('For the support team only'),
  })
  .meta({ id: 'CreateOfficialChannel' });
export type TCreateOfficialChannel = z.infer<typeof ZCreateOfficialChannel>;

export const ZUpdateOfficialChannel = z
  .strictObject({
    kind: ZOfficialChannelKind.optional(),
    value: ZChannelValue.optional(),
    label: ZChannelLabel.optional(),
    notes: ZChannelNotes.optional(),
  })
  .meta({ id: 'UpdateOfficialChannel' });
export type TUpdateOfficialChannel = z.infer<typeof ZUpdateOfficialChannel>;

export const ZOfficialChannel = z
  .object({
    id: ZId,
    kind: ZOfficialChannelKind,
    value: z.string().describe('Normalized value'),
    label: z.string(),
    notes: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'OfficialChannel' });
export type TOfficialChannel = z.infer<typeof ZOfficialChannel>;

export const ZOfficialChannelList = z
  .object({ officialChannels: z.array(ZOfficialChannel) })
  .meta({ id: 'OfficialChannelList' });

/**
 * What the Verify check recognized in the customer's input. `handle` is an @handle that could be
 * Telegram or X; `unrecognized` is text that is none of these.
 */
export const VERIFY_INPUT_KINDS = [...OFFICIAL_CHANNEL_KINDS, 'handle', 'unrecognized'] as const;
export const ZVerifyInputKind = z.enum(VERIFY_INPUT_KINDS);
export type TVerifyInputKind = z.infer<typeof ZVerifyInputKind>;

export const VERIFY_VERDICTS = ['official', 'lookalike', 'unknown'] as const;
export const ZVerifyVerdict = z.enum(VERIFY_VERDICTS);
export type TVerifyVerdict = z.infer<typeof ZVerifyVerdict>;

export const ZVerifyRequest = z
  .strictObject({
    value: z
      .string()
      .trim()
      .min(1, 'Paste the link, email address, handle or phone number to check')
      .max(500, 'At most 500 characters'),
    locale: ZLocale.optional().describe('Language of the answer; default: Accept-Language'),
  })
  .meta({ id: 'VerifyRequest' });
export type TVerifyRequest = z.infer<typeof ZVerifyRequest>;

export const ZVerifyResult = z
  .object({
    kind: ZVerifyInputKind,
    normalized: z.string().describe('What was checked, e.g. the registrable domain or the handle'),
    verdict: ZVerifyVerdict.describe(
      'official: in the registry; lookalike: not official but imitates an official channel; unknown: not known to be official, treat as untrusted',
    ),
    matchedLabel: z
      .string()
      .optional()
      .describe('The label of the official channel it is (official) or imitates (lookalike)'),
    matchedValue: z.string().optional().describe('The official value it is or imitates'),
    message: z.string().describe('One sentence about the verdict, in the request language'),
    reasons: z.array(z.object({ code: z.string(), message: z.string() })),
    notice: z.string().describe('What official support never asks for'),
  })
  .meta({ id: 'VerifyResult' });
export type TVerifyResult = z.infer<typeof ZVerifyResult>;
