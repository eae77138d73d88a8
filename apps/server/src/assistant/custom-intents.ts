import { asc, eq } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import {
  getIntentClassifier,
  INTENTS,
  type IntentClassifier,
  loadTrainingExamples,
  trainIntentClassifier,
} from './intent-classifier.ts';
import { assistantIntents } from './schema.ts';

export type CustomIntentRow = typeof assistantIntents.$inferSelect;
export type CustomIntentInput = {
  name: string;
  description?: string;
  examples: string[];
  replies?: Partial<Record<'zh-CN' | 'en', string>>;
  handoff?: 'never' | 'always';
};

export const toCustomIntent = (row: CustomIntentRow) => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/**
 * The classifier in use: the shipped model, or one retrained with the admins' intents. Kept per
 * process; a change on any node reloads it on every node.
 */
let custom: CustomIntentRow[] = [];
let retrained: IntentClassifier | undefined;

export function currentClassifier(): IntentClassifier {
  if (custom.length === 0) return getIntentClassifier();
  retrained ??= trainIntentClassifier([
    ...loadTrainingExamples(),
    ...custom.flatMap((i) => i.examples.map((text) => ({ text, intent: i.name }))),
  ]);
  return retrained;
}

export function customIntent(name: string): CustomIntentRow | undefined {
  return custom.find((i) => i.name === name);
}

export async function reloadCustomIntents(deps: Pick<Deps, 'db'>): Promise<number> {
  custom = await deps.db.select().from(assistantIntents).orderBy(asc(assistantIntents.name));
  retrained = undefined;
  return custom.length;
}

export async function findCustomIntents(deps: Pick<Deps, 'db'>): Promise<CustomIntentRow[]> {
  return deps.db.select().from(assistantIntents).orderBy(asc(assistantIntents.name));
}

function check(input: Partial<CustomIntentInput>) {
  if (input.name && (INTENTS as readonly string[]).includes(input.name))
    throw new AppError('assistant.intent_reserved');
}

type IntentDeps = Pick<Deps, 'db' | 'clock' | 'publish'>;

async function changed(deps: IntentDeps) {
  await reloadCustomIntents(deps);
  deps.publish({ type: 'assistant.changed' });
}

export async function createCustomIntent(
  deps: IntentDeps,
  actor: Actor,
  input: CustomIntentInput,
): Promise<CustomIntentRow> {
  check(input);
  const row = await deps.db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: assistantIntents.id })
      .from(assistantIntents)
      .where(eq(assistantIntents.name, input.name));
    if (existing) throw new AppError('assistant.intent_taken');
    const [created] = await tx.insert(assistantIntents).values(input).returning();
    if (!created) throw new Error('insert returned nothing');
    await recordAudit(tx, actor, {
      action: 'assistant.intent_created',
      targetType: 'assistant_intent',
      targetId: created.id,
      data: { name: input.name, examples: input.examples.length },
    });
    return created;
  });
  await changed(deps);
  return row;
}

export async function updateCustomIntent(
  deps: IntentDeps,
  actor: Actor,
  id: string,
  input: Partial<CustomIntentInput>,
): Promise<CustomIntentRow> {
  check(input);
  const row = await deps.db.transaction(async (tx) => {
    if (input.name) {
      const [clash] = await tx
        .select({ id: assistantIntents.id })
        .from(assistantIntents)
        .where(eq(assistantIntents.name, input.name));
      if (clash && clash.id !== id) throw new AppError('assistant.intent_taken');
    }
    const [updated] = await tx
      .update(assistantIntents)
      .set({ ...input, updatedAt: deps.clock.now() })
      .where(eq(assistantIntents.id, id))
      .returning();
    if (!updated) throw new AppError('assistant.intent_not_found');
    await recordAudit(tx, actor, {
      action: 'assistant.intent_updated',
      targetType: 'assistant_intent',
      targetId: id,
      data: { fields: Object.keys(input) },
    });
    return updated;
  });
  await changed(deps);
  return row;
}

export async function deleteCustomIntent(
  deps: IntentDeps,
  actor: Actor,
  id: string,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const rows = await tx
      .delete(assistantIntents)
      .where(eq(assistantIntents.id, id))
      .returning({ name: assistantIntents.name });
    if (rows.length === 0) throw new AppError('assistant.intent_not_found');
    await recordAudit(tx, actor, {
      action: 'assistant.intent_deleted',
      targetType: 'assistant_intent',
      targetId: id,
      data: { name: rows[0]?.name },
    });
  });
  await changed(deps);
}
