import type {
  TAnnouncement,
  TAnnouncementState,
  TCreateAnnouncement,
  TLocale,
  TPublicAnnouncement,
  TUpdateAnnouncement,
} from '@kefu/shared';
import { and, desc, eq, gt, isNull, lte, or } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { DbOrTx } from '../db/client.ts';
import type { Actor, Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { scheduleAnnouncementBoundaries } from './boundaries.ts';
import { announcements } from './schema.ts';

type AnnouncementRow = typeof announcements.$inferSelect;

export function stateOf(row: AnnouncementRow, now: Date): TAnnouncementState {
  if (row.resolvedAt) return 'resolved';
  if (row.startsAt > now) return 'scheduled';
  if (row.endsAt && row.endsAt <= now) return 'ended';
  return 'active';
}

function toAnnouncement(row: AnnouncementRow, now: Date): TAnnouncement {
  return {
    id: row.id,
    severity: row.severity,
    state: stateOf(row, now),
    text: { en: row.text.en ?? '', 'zh-CN': row.text['zh-CN'] ?? '' },
    details: { en: row.details.en ?? '', 'zh-CN': row.details['zh-CN'] ?? '' },
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt?.toISOString() ?? null,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    intents: row.intents,
    keywords: row.keywords,
    assets: row.assets,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toPublicAnnouncement(a: TAnnouncement): TPublicAnnouncement {
  return {
    id: a.id,
    severity: a.severity,
    text: a.text,
    details: a.details,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
  };
}

async function getRow(db: DbOrTx, id: string): Promise<AnnouncementRow> {
  const [row] = await db.select().from(announcements).where(eq(announcements.id, id));
  if (!row) throw new AppError('announcement.not_found');
  return row;
}

const unique = (values: string[] | undefined) => [...new Set(values ?? [])];

/** Every announcement, newest first (the console's list). */
export async function findAnnouncements(deps: Pick<Deps, 'db' | 'clock'>) {
  const rows = await deps.db
    .select()
    .from(announcements)
    .orderBy(desc(announcements.createdAt))
    .limit(200);
  const now = deps.clock.now();
  return rows.map((r) => toAnnouncement(r, now));
}

/** What customers see now: unresolved, started, not ended; incidents first, newest first. */
export async function findCurrentAnnouncements(
  deps: Pick<Deps, 'db' | 'clock'>,
): Promise<TAnnouncement[]> {
  const now = deps.clock.now();
  const rows = await deps.db
    .select()
    .from(announcements)
    .where(
      and(
        isNull(announcements.resolvedAt),
        lte(announcements.startsAt, now),
        or(isNull(announcements.endsAt), gt(announcements.endsAt, now)),
      ),
    )
    .orderBy(desc(announcements.startsAt))
    .limit(20);
  return rows
    .map((r) => toAnnouncement(r, now))
    .sort((a, b) => Number(b.severity === 'incident') - Number(a.severity === 'incident'));
}

/** Published announcements, for the help center's list: current ones and the last resolved. */
export async function findRecentAnnouncements(deps: Pick<Deps, 'db' | 'clock'>, limit = 20) {
  const now = deps.clock.now();
  const rows = await deps.db
    .select()
    .from(announcements)
    .where(lte(announcements.startsAt, now))
    .orderBy(desc(announcements.startsAt))
    .limit(limit);
  return rows.map((r) => toAnnouncement(r, now));
}

function announced(deps: Deps) {
  deps.publish({ type: 'announcements.changed' });
}

export async function createAnnouncement(
  deps: Deps,
  actor: Actor,
  input: TCreateAnnouncement,
): Promise<TAnnouncement> {
  const now = deps.clock.now();
  const row = await deps.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(announcements)
      .values({
        severity: input.severity,
        text: input.text,
        details: input.details ?? { en: '', 'zh-CN': '' },
        startsAt: input.startsAt ? new Date(input.startsAt) : now,
        endsAt: input.endsAt ? new Date(input.endsAt) : null,
        intents: unique(input.intents),
        keywords: unique(input.keywords),
        assets: unique(input.assets),
        createdBy: actor.type === 'agent' ? actor.id : null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!created) throw new Error('insert returned nothing');
    await scheduleAnnouncementBoundaries(tx, created, now);
    await recordAudit(tx, actor, {
      action: 'announcement.published',
      targetType: 'announcement',
      targetId: created.id,
      data: { severity: created.severity, text: created.text.en },
    });
    return created;
  });
  announced(deps);
  return toAnnouncement(row, now);
}

export async function updateAnnouncement(
  deps: Deps,
  actor: Actor,
  id: string,
  input: TUpdateAnnouncement,
): Promise<TAnnouncement> {
  const now = deps.clock.now();
  const row = await deps.db.transaction(async (tx) => {
    const current = await getRow(tx, id);
    if (current.resolvedAt) throw new AppError('announcement.resolved');
    const startsAt =
      input.startsAt === undefined
        ? current.startsAt
        : input.startsAt === null
          ? now
          : new Date(input.startsAt);
    const endsAt =
      input.endsAt === undefined ? current.endsAt : input.endsAt ? new Date(input.endsAt) : null;
    if (endsAt && endsAt <= startsAt)
      throw new AppError('request.invalid', {
        vars: { fields: 'endsAt: The end must be after the start' },
      });
    const [updated] = await tx
      .update(announcements)
      .set({
        ...(input.severity ? { severity: input.severity } : {}),
        ...(input.text ? { text: input.text } : {}),
        ...(input.details ? { details: input.details } : {}),
        ...(input.intents ? { intents: unique(input.intents) } : {}),
        ...(input.keywords ? { keywords: unique(input.keywords) } : {}),
        ...(input.assets ? { assets: unique(input.assets) } : {}),
        startsAt,
        endsAt,
        updatedAt: now,
      })
      .where(eq(announcements.id, id))
      .returning();
    if (!updated) throw new AppError('announcement.not_found');
    await scheduleAnnouncementBoundaries(tx, updated, now);
    await recordAudit(tx, actor, {
      action: 'announcement.updated',
      targetType: 'announcement',
      targetId: id,
      data: { fields: Object.keys(input) },
    });
    return updated;
  });
  announced(deps);
  return toAnnouncement(row, now);
}

/** Ends an announcement for good: it leaves the banners and the assistant's answers at once. */
export async function resolveAnnouncement(
  deps: Deps,
  actor: Actor,
  id: string,
): Promise<TAnnouncement> {
  const now = deps.clock.now();
  const row = await deps.db.transaction(async (tx) => {
    const current = await getRow(tx, id);
    if (current.resolvedAt) throw new AppError('announcement.resolved');
    const [updated] = await tx
      .update(announcements)
      .set({ resolvedAt: now, updatedAt: now })
      .where(eq(announcements.id, id))
      .returning();
    if (!updated) throw new AppError('announcement.not_found');
    await scheduleAnnouncementBoundaries(tx, updated, now);
    await recordAudit(tx, actor, {
      action: 'announcement.resolved',
      targetType: 'announcement',
      targetId: id,
      data: { severity: updated.severity },
    });
    return updated;
  });
  announced(deps);
  return toAnnouncement(row, now);
}

/** Lower-case, full-width folded: "ＥＴＨ 提币" and "eth 提币" match the same keyword. */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * The current announcements that answer a customer's question: its intent is one of the
 * announcement's intents or the text holds one of its keywords, and — when the announcement
 * names assets — the question names one of them. Announcements with none of the three are
 * general notices and never answer questions.
 */
export function matchAnnouncements(
  list: TAnnouncement[],
  question: { text: string; intent: string; coin?: string | null },
): TAnnouncement[] {
  const text = fold(question.text);
  const words = new Set(text.split(/[^a-z0-9]+/).filter(Boolean));
  return list.filter((a) => {
    if (a.intents.length === 0 && a.keywords.length === 0 && a.assets.length === 0) return false;
    const topic =
      (a.intents.length === 0 && a.keywords.length === 0) ||
      a.intents.includes(question.intent) ||
      a.keywords.some((k) => text.includes(fold(k)));
    const asset =
      a.assets.length === 0 ||
      a.assets.some((s) => s === question.coin?.toUpperCase() || words.has(s.toLowerCase()));
    return topic && asset;
  });
}

/** The assistant's lead-in for a matching announcement, in the customer's language. */
export function announcementAnswer(a: TAnnouncement, locale: TLocale): string {
  const details = a.details[locale]?.trim();
  return details ? `${a.text[locale]}\n${details}` : a.text[locale];
}
