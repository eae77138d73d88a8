import type { ImapFlow } from 'imapflow';
import type { Deps } from '../../deps.ts';
import { getInboxRow, type InboxRow } from '../../inboxes/inboxes.ts';
import { holdLease, newLeaseHolder, releaseLease } from '../../jobs/lease.ts';
import { receiveEmail } from './receive-email.ts';
import {
  emailSettingsOf,
  findEmailInboxes,
  openImapPassword,
  recordEmailStatus,
  saveImapState,
} from './settings.ts';

export type ImapWatchers = {
  /** Starts watchers for new IMAP channels, stops those of removed ones. */
  refresh: () => Promise<void>;
  close: () => Promise<void>;
};

type Watcher = { stop: () => Promise<void> };

/**
 * Reads new mail of one mailbox into the pipeline. The first sync takes the unseen mail; after
 * that, UIDs above the stored last UID (per UIDVALIDITY, kept in the inbox settings), so a restart
 * neither refetches nor loses mail. The position moves only after a mail is committed.
 */
export async function syncMailbox(deps: Deps, client: ImapFlow, inboxId: string): Promise<number> {
  const mailbox = client.mailbox;
  if (!mailbox) return 0;
  const uidValidity = String(mailbox.uidValidity);
  const inbox = await getInboxRow(deps.db, inboxId);
  const state = emailSettingsOf(inbox).imapState;
  const known = state && state.uidValidity === uidValidity ? state : null;
  const found = known
    ? await client.search({ uid: `${known.lastUid + 1}:*` }, { uid: true })
    : await client.search({ seen: false }, { uid: true });
  const uids = (found || []).filter((uid) => !known || uid > known.lastUid).sort((a, b) => a - b);
  let fetched = 0;
  for (const uid of uids) {
    const message = await client.fetchOne(String(uid), { source: true, uid: true }, { uid: true });
    const result =
      message && message.source !== undefined
        ? await receiveEmail(deps, inbox, message.source, { source: 'imap' })
        : null;
    await saveImapState(deps.db, inboxId, { uidValidity, lastUid: uid });
    if (result) {
      // Logged once the mail and the mailbox position are both stored.
      deps.logger.info({ inboxId, uid, uidValidity, status: result.status }, 'imap: mail received');
      fetched++;
    }
    await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true }).catch(() => false);
  }
  if (!known) {
    // First sync: from here on, only mail above what the mailbox held when it was opened.
    const lastUid = Math.max(mailbox.uidNext - 1, uids[uids.length - 1] ?? 0);
    await saveImapState(deps.db, inboxId, { uidValidity, lastUid });
  }
  return fetched;
}

function startWatcher(deps: Deps, inbox: InboxRow, pollMs: number, holder: string): Watcher {
  const logger = deps.logger.child({ component: 'imap', inboxId: inbox.id });
  // One reader per mailbox in the cluster: the lease is renewed every few seconds while
  // connected; a node that dies lets it expire and another node connects.
  const leaseName = `imap:${inbox.id}`;
  const renewMs = Math.min(pollMs, 10_000);
  const leaseMs = renewMs * 3;
  const holdMailbox = () =>
    holdLease(deps.db, leaseName, holder, leaseMs).catch((error: unknown) => {
      logger.warn({ err: error }, 'imap: lease check failed');
      return false;
    });
  let stopped = false;
  let client: ImapFlow | null = null;
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const run = async () => {
    let failures = 0;
    while (!stopped) {
      if (!(await holdMailbox())) {
        // Another node reads this mailbox.
        await sleep(renewMs);
        continue;
      }
      try {
        const settings = emailSettingsOf(await getInboxRow(deps.db, inbox.id));
        if (!settings.imap) return;
        const imap = settings.imap;
        const { ImapFlow } = await import('imapflow');
        client = new ImapFlow({
          host: imap.host,
          port: imap.port,
          secure: imap.secure,
          // Without TLS from the start, the upgrade is required: a server that does not offer
          // STARTTLS (or a network that strips it) gets no password in clear.
          ...(imap.secure ? {} : { doSTARTTLS: true }),
          auth: {
            user: imap.user,
            pass: openImapPassword(deps.config.secretKey, imap.passwordSealed),
          },
          logger: false,
        });
        const current = client;
        let closed = false;
        current.on('close', () => {
          closed = true;
          wake?.();
        });
        current.on('error', (error: unknown) =>
          logger.warn({ err: error }, 'imap: connection error'),
        );
        await current.connect();
        await current.mailboxOpen(imap.mailbox);
        failures = 0;
        await recordEmailStatus(deps.db, inbox.id, 'imapStatus', {
          state: 'ok',
          at: deps.clock.now().toISOString(),
          error: null,
        });
        // One sync at a time: IDLE's `exists` and the poll both only ask for one.
        let pending = false;
        let syncing: Promise<void> | null = null;
        const requestSync = () => {
          pending = true;
          if (!syncing) {
            syncing = (async () => {
              while (pending && !stopped && !closed) {
                pending = false;
                const count = await syncMailbox(deps, current, inbox.id);
                if (count) logger.info({ count }, 'imap: mail fetched');
              }
            })()
              .catch((error: unknown) =>
                logger.warn({ err: error }, 'imap: sync failed; retried on the next poll'),
              )
              .finally(() => {
                syncing = null;
              });
          }
        };
        current.on('exists', requestSync);
        requestSync();
        // IDLE (imapflow idles by itself) reports new mail; the poll covers servers and
        // connections where it does not.
        let lastPoll = Date.now();
        while (!stopped && !closed) {
          await sleep(renewMs);
          if (stopped || closed) break;
          if (!(await holdMailbox())) {
            logger.warn('imap: another node took over the mailbox');
            break;
          }
          // An admin changed the server, account or folder: connect again with the new settings.
          const current = emailSettingsOf(await getInboxRow(deps.db, inbox.id)).imap;
          if (JSON.stringify(current) !== JSON.stringify(imap)) {
            logger.info('imap: settings changed; reconnecting');
            break;
          }
          if (Date.now() - lastPoll >= pollMs) {
            lastPoll = Date.now();
            requestSync();
          }
        }
        if (syncing) await syncing;
        await current.logout().catch(() => current.close());
      } catch (error) {
        failures++;
        logger.warn({ err: error, failures }, 'imap: cannot read the mailbox; retrying');
        await recordEmailStatus(deps.db, inbox.id, 'imapStatus', {
          state: 'error',
          at: deps.clock.now().toISOString(),
          error: (error instanceof Error ? error.message : String(error)).slice(0, 500),
        }).catch(() => undefined);
        client?.close();
        if (!stopped) await sleep(Math.min(pollMs * failures, 5 * 60_000));
      }
    }
  };
  const running = run();
  return {
    stop: async () => {
      stopped = true;
      wake?.();
      client?.close();
      await running;
      // A clean stop hands the mailbox over at once instead of after the lease runs out.
      await releaseLease(deps.db, leaseName, holder).catch(() => undefined);
    },
  };
}

/**
 * One watcher per email channel with IMAP settings on this node. With several nodes only the
 * holder of the mailbox's lease reads it; the Message-ID idempotency key still keeps every mail
 * stored once should two ever overlap (a lease that ran out during a long sync).
 */
export function startImapWatchers(deps: Deps, options: { pollMs: number }): ImapWatchers {
  const watchers = new Map<string, Watcher>();
  const holder = newLeaseHolder();
  let closed = false;
  const refresh = async () => {
    if (closed) return;
    const rows = (await findEmailInboxes(deps.db)).filter((row) => emailSettingsOf(row).imap);
    const ids = new Set(rows.map((row) => row.id));
    for (const row of rows)
      if (!watchers.has(row.id))
        watchers.set(row.id, startWatcher(deps, row, options.pollMs, holder));
    for (const [id, watcher] of watchers)
      if (!ids.has(id)) {
        watchers.delete(id);
        await watcher.stop();
      }
  };
  const timer = setInterval(() => {
    refresh().catch((error: unknown) => deps.logger.warn({ err: error }, 'imap: refresh failed'));
  }, options.pollMs);
  timer.unref();
  return {
    refresh,
    close: async () => {
      closed = true;
      clearInterval(timer);
      await Promise.all([...watchers.values()].map((w) => w.stop()));
      watchers.clear();
    },
  };
}
