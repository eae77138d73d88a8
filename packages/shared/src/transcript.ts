import { z } from 'zod';
import { ZEmail, ZLocale } from './common.ts';

export const ZEmailTranscriptRequest = z
  .strictObject({
    email: ZEmail.optional().describe(
      "Only used when the customer has no email yet; it is then kept on the customer's profile",
    ),
    locale: ZLocale.optional().describe("The mail's language (default: the conversation's)"),
  })
  .meta({ id: 'EmailTranscriptRequest' });
export type TEmailTranscriptRequest = z.infer<typeof ZEmailTranscriptRequest>;

export const ZEmailTranscriptResult = z
  .object({ ok: z.literal(true), email: z.string().describe('Where the transcript was sent') })
  .meta({ id: 'EmailTranscriptResult' });
export type TEmailTranscriptResult = z.infer<typeof ZEmailTranscriptResult>;
