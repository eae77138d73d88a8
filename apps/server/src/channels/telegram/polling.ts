import type { Update } from 'grammy/types';
import type { Deps } from '../../deps.ts';
import { findInboxes, getInboxRow } from '../../inboxes/inboxes.ts';
import { holdLease, newLeaseHolder, releaseLease } from '../../jobs/lease.ts';
import { handleTelegramUpdate } from './handle-update.ts';
import { botOf, noteTelegramStatus, patchInboxSettings, telegramSettingsOf } from './settings.ts';

export type TelegramPolling = { stop: () => Promise<void>; rescan: () => Promise<void> };

type Loop = { controller: AbortController; done: Promise<void> };

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** How many times one update may fail before it is skipped, so one bad update cannot block a bot. */
const MAX_UPDATE_FAILURES = 5;

async function pollInbox(
  deps: Deps,
  inboxId: string,
  signal: AbortSignal,
  timeoutS: number,
  holder: string,
) {
  // Telegram answers getUpdates to one caller at a time (409 for the others): only the holder of
  // the bot's lease polls. It outlives one long poll; a dead holder's lease runs out.
  const leaseName = `telegram:${inboxId}`;
  const leaseMs = timeoutS * 1000 + 15_000;
  try {
    await pollWhileHolding(deps, inboxId, signal, timeoutS, () =>
      holdLease(deps.db, leaseName, holder, leaseMs).catch(() => false),
    );
  } finally {
    // A clean stop hands the bot over at once.
    await releaseLease(deps.db, leaseName, holder).catch(() => undefined);
  }
}

async function pollWhileHolding(
  deps: Deps,
  inboxId: string,
  signal: AbortSignal,
  timeoutS: number,
  hold: () => Promise<boolean>,
) {
  const waitMs = Math.min(5_000, Math.max(500, timeoutS * 200));
  let failures = 0;
  while (!signal.aborted) {
    const holding = await hold();
    if (!holding) {
      await sleep(waitMs, signal);
      continue;
    }
    try {
      const row = await getInboxRow(deps.db, inboxId);
      const { pollOffset } = telegramSettingsOf(row);
      const bot = botOf(deps, row);
      const updates: Update[] = await bot.api.getUpdates(
        { offset: pollOffset, timeout: timeoutS, allowed_updates: ['message', 'callback_query'] },
        // grammy types its signal with the abort-controller polyfill; Node's is the same at runtime.
        signal as unknown as Parameters<typeof bot.api.getUpdates>[1],
      );
      await noteTelegramStatus(deps, row, null);
      for (const update of updates) {
        if (signal.aborted) return;
        try {
          await handleTelegramUpdate(deps, row, update);
        } catch (error) {
          failures++;
          if (failures < MAX_UPDATE_FAILURES) throw error;
          deps.logger.error(
            { inboxId, updateId: update.update_id, err: error },
            'telegram update skipped',
          );
        }
        failures = 0;
        // Committed first, then the offset: a crash in between refetches it and the idempotency
        // key (tg:<update_id>) stores nothing twice.
        await patchInboxSettings(deps.db, inboxId, { pollOffset: update.update_id + 1 });
      }
    } catch (error) {
      if (signal.aborted) return;
      const row = await getInboxRow(deps.db, inboxId).catch(() => null);
      if (row) await noteTelegramStatus(deps, row, error);
      deps.logger.warn(
        { inboxId, err: error instanceof Error ? error.message : String(error) },
        'telegram polling failed',
      );
      await sleep(Math.min(1000 * 2 ** Math.min(failures, 5), 30_000), signal);
    }
  }
}

/**
 * One getUpdates loop per polling-mode Telegram inbox (polling only while this node holds the
 * bot's lease). Inboxes added later are picked up at the
 * next rescan; `stop` ends every loop (an in-flight long poll is aborted).
 */
export function startTelegramPolling(
  deps: Deps,
  options: { rescanMs?: number; timeoutSeconds?: number } = {},
): TelegramPolling {
  const loops = new Map<string, Loop>();
  const holder = newLeaseHolder();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const timeoutS = options.timeoutSeconds ?? 25;

  async function rescan() {
    if (stopped) return;
    const wanted = (await findInboxes(deps)).filter(
      (r) => r.channel === 'telegram' && telegramSettingsOf(r).mode === 'polling',
    );
    if (stopped) return;
    for (const row of wanted) {
      if (loops.has(row.id)) continue;
      const controller = new AbortController();
      loops.set(row.id, {
        controller,
        done: pollInbox(deps, row.id, controller.signal, timeoutS, holder),
      });
    }
    const ids = new Set(wanted.map((r) => r.id));
    for (const [id, loop] of loops) {
      if (ids.has(id)) continue;
      loop.controller.abort();
      loops.delete(id);
    }
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      rescan()
        .catch((error: unknown) =>
          deps.logger.warn(
            { err: error instanceof Error ? error.message : String(error) },
            'telegram rescan failed',
          ),
        )
        .finally(schedule);
    }, options.rescanMs ?? 10_000);
    timer.unref?.();
  }

  void rescan()
    .catch((error: unknown) =>
      deps.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'telegram rescan failed',
      ),
    )
    .finally(schedule);

  return {
    rescan,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      for (const loop of loops.values()) loop.controller.abort();
      await Promise.all([...loops.values()].map((l) => l.done));
      loops.clear();
    },
  };
}
