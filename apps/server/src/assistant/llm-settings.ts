import { eq, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, Deps } from '../deps.ts';
import { decryptSecret, encryptSecret } from '../lib/crypto.ts';
import { settings } from '../settings/schema.ts';
import { createLlmClient, type LlmClient } from './llm.ts';

/** The LLM an admin set in the console; without it the environment (KEFU_LLM_*) decides. */
type StoredLlm = { enabled: boolean; baseUrl: string; model: string; apiKeySealed: string | null };
type LlmConnection = { baseUrl: string; apiKey: string; model: string };

export type LlmSettingsView = {
  enabled: boolean;
  baseUrl: string;
  model: string;
  /** The key is never shown again; this only says whether there is one. */
  apiKeySet: boolean;
  /** Where the settings in effect come from. */
  source: 'settings' | 'environment';
};

export type LlmSettingsInput = {
  enabled: boolean;
  baseUrl: string;
  model: string;
  /** A new key; null removes it; absent keeps the current one. */
  apiKey?: string | null | undefined;
};

const KEY = 'assistant.llm';
/** Bumped by a save, so this node's assistant follows at once (others within `ttlMs`). */
let savedVersion = 0;
const PURPOSE = 'llm-api-key';
const DEFAULT_MODEL = 'gpt-4o-mini';

async function readStored(db: Deps['db']): Promise<StoredLlm | null> {
  const [row] = await db.select().from(settings).where(eq(settings.key, KEY));
  return (row?.value as StoredLlm | undefined) ?? null;
}

export async function getLlmSettings(deps: Pick<Deps, 'db' | 'config'>): Promise<LlmSettingsView> {
  const stored = await readStored(deps.db);
  if (stored)
    return {
      enabled: stored.enabled,
      baseUrl: stored.baseUrl,
      model: stored.model,
      apiKeySet: stored.apiKeySealed !== null,
      source: 'settings',
    };
  const env = deps.config.llm;
  return {
    enabled: env !== null,
    baseUrl: env?.baseUrl ?? '',
    model: env?.model ?? DEFAULT_MODEL,
    apiKeySet: Boolean(env?.apiKey),
    source: 'environment',
  };
}

export async function saveLlmSettings(
  deps: Pick<Deps, 'db' | 'config'>,
  actor: Actor,
  input: LlmSettingsInput,
): Promise<LlmSettingsView> {
  const stored = await readStored(deps.db);
  // Keeping the key the environment provides when an admin first saves without typing one.
  const envKey = stored ? null : deps.config.llm?.apiKey || null;
  const apiKeySealed =
    input.apiKey === undefined
      ? (stored?.apiKeySealed ??
        (envKey ? encryptSecret(deps.config.secretKey, PURPOSE, envKey) : null))
      : input.apiKey === null
        ? null
        : encryptSecret(deps.config.secretKey, PURPOSE, input.apiKey);
  const value: StoredLlm = {
    enabled: input.enabled,
    baseUrl: input.baseUrl,
    model: input.model,
    apiKeySealed,
  };
  await deps.db.transaction(async (tx) => {
    await tx
      .insert(settings)
      .values({ key: KEY, value })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
    await recordAudit(tx, actor, {
      action: 'assistant.llm_changed',
      targetType: 'settings',
      targetId: KEY,
      // Never the key itself.
      data: {
        enabled: input.enabled,
        baseUrl: input.baseUrl,
        model: input.model,
        apiKey: input.apiKey === undefined ? 'kept' : input.apiKey === null ? 'removed' : 'set',
      },
    });
  });
  savedVersion += 1;
  return getLlmSettings(deps);
}

/** The connection in effect: the console's settings when saved, else the environment's. */
export async function effectiveLlm(
  deps: Pick<Deps, 'db' | 'config'>,
): Promise<LlmConnection | null> {
  const stored = await readStored(deps.db);
  if (!stored) return deps.config.llm;
  if (!stored.enabled || !stored.baseUrl) return null;
  let apiKey = '';
  if (stored.apiKeySealed) {
    try {
      apiKey = decryptSecret(deps.config.secretKey, PURPOSE, stored.apiKeySealed);
    } catch {
      // Sealed with another KEFU_SECRET_KEY: the admin has to enter the key again.
      return null;
    }
  }
  return { baseUrl: stored.baseUrl, apiKey, model: stored.model };
}

/**
 * An LLM client that follows the settings: re-read at most every `ttlMs`, so every node picks up
 * a change within seconds. Answers null (the assistant's own answer is used) when none is set.
 */
export function createConfiguredLlm(
  deps: Pick<Deps, 'db' | 'config' | 'logger'>,
  ttlMs = 5000,
): LlmClient {
  let cached: { at: number; version: number; key: string; client: LlmClient | null } | null = null;
  const current = async (): Promise<LlmClient | null> => {
    const now = Date.now();
    const version = savedVersion;
    if (cached && cached.version === version && now - cached.at < ttlMs) return cached.client;
    let connection: LlmConnection | null = null;
    try {
      connection = await effectiveLlm(deps);
    } catch (error) {
      deps.logger.warn({ err: error }, 'LLM settings could not be read');
      connection = deps.config.llm;
    }
    const key = JSON.stringify(connection);
    const client =
      cached && cached.key === key
        ? cached.client
        : connection
          ? createLlmClient(connection)
          : null;
    cached = { at: now, version, key, client };
    return client;
  };
  return {
    async answer(input) {
      const client = await current();
      return client ? client.answer(input) : null;
    },
  };
}
