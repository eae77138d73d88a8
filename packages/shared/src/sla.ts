import { z } from 'zod';
import { ZId } from './common.ts';
import { ZPriority } from './conversations.ts';

const ZMinutes = z
  .number()
  .int()
  .min(1, 'at least 1 minute')
  .max(60 * 24 * 60, 'at most 60 days')
  .nullable();

export const ZBreachActions = z.strictObject({
  raisePriority: z.boolean().default(true),
  reassignToTeamId: ZId.nullable().default(null),
  notifySupervisors: z.boolean().default(true),
});

export const ZSlaPolicyInput = z.strictObject({
  name: z.string().trim().min(1).max(120),
  priority: ZPriority.nullable().default(null).describe('Match: null = any priority'),
  vipMin: z
    .number()
    .int()
    .min(0)
    .max(20)
    .nullable()
    .default(null)
    .describe('Match: contacts with at least this VIP level'),
  channel: z.enum(['widget', 'email', 'telegram', 'api']).nullable().default(null),
  businessHoursOnly: z.boolean().default(true).describe("Count only the team's business hours"),
  firstResponseMinutes: ZMinutes.default(null),
  nextResponseMinutes: ZMinutes.default(null),
  resolutionMinutes: ZMinutes.default(null),
  warnBeforeMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(10),
  breachActions: ZBreachActions.default({
    raisePriority: true,
    reassignToTeamId: null,
    notifySupervisors: true,
  }),
  position: z.number().int().min(0).max(1000).default(0),
  active: z.boolean().default(true),
});
export type TSlaPolicyInput = z.infer<typeof ZSlaPolicyInput>;

export const ZSlaPolicy = z
  .object({
    id: ZId,
    name: z.string(),
    priority: ZPriority.nullable(),
    vipMin: z.number().int().nullable(),
    channel: z.string().nullable(),
    businessHoursOnly: z.boolean(),
    firstResponseMinutes: z.number().int().nullable(),
    nextResponseMinutes: z.number().int().nullable(),
    resolutionMinutes: z.number().int().nullable(),
    warnBeforeMinutes: z.number().int(),
    breachActions: z.object({
      raisePriority: z.boolean(),
      reassignToTeamId: z.string().nullable(),
      notifySupervisors: z.boolean(),
    }),
    position: z.number().int(),
    active: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'SlaPolicy' });
export type TSlaPolicy = z.infer<typeof ZSlaPolicy>;

const ZHHmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time like 09:00');
export const ZBusinessHours = z
  .strictObject({
    weekly: z
      .array(
        z.strictObject({
          day: z.number().int().min(0).max(6).describe('0 = Sunday'),
          open: ZHHmm,
          close: ZHHmm,
        }),
      )
      .max(50),
    holidays: z
      .array(z.strictObject({ date: z.iso.date(), name: z.string().max(80).optional() }))
      .max(400),
  })
  .nullable()
  .meta({ id: 'BusinessHours' });
