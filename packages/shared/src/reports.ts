import { z } from 'zod';
import { ZId } from './common.ts';
import { ZChannel } from './conversations.ts';

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const ZDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'A date looks like 2026-01-31')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'Not a calendar date');

/** Which conversations a report counts: created from `from` to `to` (whole days in `tz`). */
export const ZReportQuery = z
  .strictObject({
    from: ZDay.optional().describe('First day, inclusive (default: 29 days before `to`)'),
    to: ZDay.optional().describe('Last day, inclusive (default: today in `tz`)'),
    teamId: ZId.optional(),
    channel: ZChannel.optional(),
    tz: z
      .string()
      .max(64)
      .refine(isTimeZone, 'Unknown time zone; use an IANA name like Asia/Shanghai')
      .default('UTC')
      .describe('IANA time zone for days and hours of day'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: '`from` must be on or before `to`',
    path: ['from'],
  })
  .refine(
    (q) =>
      !q.from ||
      !q.to ||
      Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`) <= 366 * 86_400_000,
    { message: 'A report covers at most 366 days', path: ['to'] },
  );
export type TReportQuery = z.infer<typeof ZReportQuery>;

export const REPORT_NAMES = [
  'volume',
  'response-times',
  'sla',
  'csat',
  'assistant',
  'queue',
  'agents',
] as const;
export const ZReportName = z.enum(REPORT_NAMES);
export type TReportName = z.infer<typeof ZReportName>;
export const ZReportExportParams = z.object({ report: ZReportName });

const ZDuration = z.object({
  count: z.number().int(),
  medianSeconds: z.number().nullable(),
  p90Seconds: z.number().nullable(),
});
export type TDuration = z.infer<typeof ZDuration>;

export const ZReport = z
  .object({
    range: z.object({ from: z.string(), to: z.string(), tz: z.string() }),
    volume: z.object({
      total: z.number().int(),
      byDay: z.array(z.object({ day: z.string(), count: z.number().int() })),
      byChannel: z.array(z.object({ channel: z.string(), count: z.number().int() })),
      byIntent: z.array(z.object({ intent: z.string().nullable(), count: z.number().int() })),
      byHour: z.array(z.object({ hour: z.number().int(), count: z.number().int() })),
    }),
    responseTimes: z.object({ firstResponse: ZDuration, resolution: ZDuration }),
    sla: z.array(
      z.object({
        target: z.enum(['firstResponse', 'nextResponse', 'resolution']),
        met: z.number().int(),
        breached: z.number().int(),
      }),
    ),
    csat: z.object({
      count: z.number().int(),
      average: z.number().nullable(),
      distribution: z.array(z.object({ score: z.number().int(), count: z.number().int() })),
      trend: z.array(z.object({ day: z.string(), average: z.number(), count: z.number().int() })),
    }),
    assistant: z.object({
      handled: z.number().int().describe('Conversations the assistant answered first'),
      resolved: z
        .number()
        .int()
        .describe('Closed without a human reply or handoff, and not reopened'),
      rate: z.number().nullable(),
      handoffs: z.number().int(),
      handoffReasons: z.array(z.object({ reason: z.string(), count: z.number().int() })),
    }),
    queue: ZDuration,
    agents: z.array(
      z.object({
        agentId: z.string(),
        name: z.string(),
        handled: z.number().int(),
        firstResponseMedianSeconds: z.number().nullable(),
        resolutionMedianSeconds: z.number().nullable(),
        csatAverage: z.number().nullable(),
        csatCount: z.number().int(),
        qualityScore: z.number().nullable(),
        reviews: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'Report' });
export type TReport = z.infer<typeof ZReport>;

/** The quality rubric: each criterion scored 1–5 by a supervisor. */
export const QUALITY_CRITERIA = [
  'responseSpeed',
  'attitude',
  'resolution',
  'followUp',
  'accuracy',
] as const;
export type TQualityCriterion = (typeof QUALITY_CRITERIA)[number];
const ZRubricScore = z.number().int().min(1, 'Scores are 1 to 5').max(5, 'Scores are 1 to 5');
export const ZQualityScores = z.strictObject({
  responseSpeed: ZRubricScore,
  attitude: ZRubricScore,
  resolution: ZRubricScore,
  followUp: ZRubricScore,
  accuracy: ZRubricScore,
});
export type TQualityScores = z.infer<typeof ZQualityScores>;

export const ZQualityReviewInput = z.strictObject({
  conversationId: ZId,
  scores: ZQualityScores,
  comment: z.string().trim().max(4000, 'A comment has at most 4000 characters').default(''),
});
export type TQualityReviewInput = z.infer<typeof ZQualityReviewInput>;

export const ZQualityReview = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    conversationNumber: z.number().int(),
    agentId: z.string().nullable().describe('The agent whose work was reviewed'),
    agentName: z.string().nullable(),
    reviewerId: z.string(),
    reviewerName: z.string().nullable(),
    scores: ZQualityScores,
    /** Average of the five criteria, 1–5. */
    score: z.number(),
    comment: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'QualityReview' });
export type TQualityReview = z.infer<typeof ZQualityReview>;

export const ZQualityReviewList = z
  .object({ reviews: z.array(ZQualityReview) })
  .meta({ id: 'QualityReviewList' });
export const ZQualityReviewListQuery = z.strictObject({
  agentId: ZId.optional(),
  conversationId: ZId.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
