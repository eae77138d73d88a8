import type { Redis } from 'ioredis';
import {
  ANNOUNCEMENT_BOUNDARY_QUEUE,
  runAnnouncementBoundary,
  scheduleUpcomingAnnouncements,
} from './announcements/boundaries.ts';
import { buildAssistant, connectorFor } from './assistant/build.ts';
import { reloadCustomIntents } from './assistant/custom-intents.ts';
import { handleAssistantMessage } from './assistant/handle-message.ts';
import { createConfiguredLlm } from './assistant/llm-settings.ts';
import { createApiDeliverer } from './channels/api/deliverer.ts';
import type { DNSResolver } from './channels/email/authenticate.ts';
import { createEmailDeliverer, withEmailFallback } from './channels/email/deliverer.ts';
import { type ImapWatchers, startImapWatchers } from './channels/email/imap-watcher.ts';
import { createEmailSendHandler, EMAIL_SEND_QUEUE } from './channels/email/send-email.ts';
import { type SmtpListener, startSmtpListener } from './channels/email/smtp-listener.ts';
import { createTelegramDeliverer } from './channels/telegram/deliverer.ts';
import { startTelegramPolling } from './channels/telegram/polling.ts';
import { createWidgetDeliverer } from './channels/widget/deliverer.ts';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import type { Deps } from './deps.ts';
import { buildApp } from './http/app.ts';
import type { App } from './http/types.ts';
import { type JobWorker, startJobWorker } from './jobs/queue.ts';
import { loadKnowledgeIndex } from './knowledge/articles.ts';
import { KnowledgeIndex } from './knowledge/search-index.ts';
import type { Clock } from './lib/clock.ts';
import { createEventBus, type DomainEvent } from './lib/events.ts';
import { createIpThrottle } from './lib/ip-throttle.ts';
import type { Logger } from './lib/logger.ts';
import { createMailJobHandler, MAIL_QUEUE } from './mail/queue-mail.ts';
import { createMailTransport } from './mail/transport.ts';
import { createOutboxHandler, type Deliverer } from './pipeline/send-outbound.ts';
import { attachRealtime, type Realtime } from './realtime/gateway.ts';
import { runAssignment } from './routing/assign.ts';
import { ROUTING_QUEUE } from './routing/schedule.ts';
import { checkOfficialChannel } from './safety/check-official-channel.ts';
import { updateSla } from './sla/timers.ts';
import { deliverWebhook } from './webhooks/deliver-webhook.ts';
import { dispatchWebhookEvent } from './webhooks/dispatch-event.ts';

export type KefuNode = {
  app: App;
  deps: Deps;
  realtime: Realtime;
  worker: JobWorker;
  /** Domain events of this node, for tests that watch what was published. */
  subscribe: (listener: (event: DomainEvent) => void) => () => void;
  close: () => Promise<void>;
  /** The built-in SMTP listener (KEFU_SMTP_LISTEN_PORT set), with the port it got. */
  smtp: SmtpListener | null;
  /** The IMAP watchers of the email channels. */
  imap: ImapWatchers;
};

/**
 * One Kefu node: the HTTP app, the Socket.IO gateway on its server, the job worker and the
 * channel deliverers, all sharing one set of deps. `kefu start` and the tests build the same.
 */
export async function createKefuNode(options: {
  config: Config;
  database: Database;
  logger: Logger;
  clock: Clock;
  redis?: Redis;
  jobPollMs?: number;
  /** false: the worker waits for the first kick (tests that must connect before jobs run). */
  startJobs?: boolean;
  /** DNS for SPF/DKIM/DMARC checks of received mail (tests answer from a table). */
  emailDnsResolver?: DNSResolver;
}): Promise<KefuNode> {
  const bus = createEventBus();
  let worker: JobWorker | undefined;
  const deps: Deps = {
    db: options.database.db,
    logger: options.logger,
    clock: options.clock,
    config: options.config,
    publish: bus.publish,
    kickJobs: () => worker?.kick(),
    mail: createMailTransport(options.config, options.logger),
    kb: new KnowledgeIndex(),
    newConversationThrottle: createIpThrottle({
      name: 'new-conversation',
      max: options.config.rateLimitNewConversations,
      windowMs: 10 * 60_000,
      now: () => options.clock.now(),
      logger: options.logger,
      ...(options.redis ? { redis: options.redis } : {}),
    }),
  };
  await loadKnowledgeIndex(deps);
  await reloadCustomIntents(deps);
  const assistant = buildAssistant({
    kb: deps.kb,
    connector: connectorFor(options.config, () => options.clock.now()),
    publicUrl: options.config.publicUrl,
    now: () => options.clock.now(),
    llmClient: createConfiguredLlm(deps),
    checkChannel: (value, locale) => checkOfficialChannel(deps, value, locale),
  });
  deps.assistant = assistant;
  const app = await buildApp({
    deps,
    database: options.database,
    ...(options.redis ? { redis: options.redis } : {}),
  });
  const realtime = await attachRealtime(app.server, deps, bus.subscribe);
  const deliverers = new Map<string, Deliverer>([['widget', createWidgetDeliverer(realtime)]]);
  deliverers.set('email', createEmailDeliverer(deps));
  // Widget answers that no open tab confirmed also go by email (channels/email/deliverer.ts).
  const widgetDeliverer = deliverers.get('widget');
  if (widgetDeliverer) deliverers.set('widget', withEmailFallback(deps, widgetDeliverer));
  deliverers.set('telegram', createTelegramDeliverer(deps));
  deliverers.set('api', createApiDeliverer(deps));
  const deliver = createOutboxHandler(deps, deliverers);
  const sendMail = createMailJobHandler(deps);
  const sendEmail = createEmailSendHandler(deps);
  worker = startJobWorker(
    deps,
    {
      'outbox.deliver': (job) => deliver(job),
      'assistant.reply': (job) =>
        handleAssistantMessage(deps, assistant, {
          conversationId: String(job.payload.conversationId),
          messageId: String(job.payload.messageId),
        }),
      [ROUTING_QUEUE]: async () => {
        await runAssignment(deps);
      },
      // Both recompute: an update after a change, a check when a warning or breach is due.
      'sla.update': (job) => updateSla(deps, String(job.payload.conversationId)),
      'sla.check': (job) => updateSla(deps, String(job.payload.conversationId)),
      [MAIL_QUEUE]: (job) => sendMail(job),
      [EMAIL_SEND_QUEUE]: (job) => sendEmail(job),
      'webhooks.dispatch': (job) => dispatchWebhookEvent(deps, job),
      'webhooks.deliver': (job) => deliverWebhook(deps, job),
      [ANNOUNCEMENT_BOUNDARY_QUEUE]: async (job) => {
        await runAnnouncementBoundary(deps, job);
      },
    },
    { pollMs: options.jobPollMs ?? 1000, autoStart: options.startJobs ?? true },
  );
  const runningWorker = worker;
  // Scheduled announcements written before their timers existed get them now.
  await scheduleUpcomingAnnouncements(deps).catch((error: unknown) =>
    options.logger.warn({ err: error }, 'announcement timers not checked'),
  );
  const smtp = options.config.smtpListen
    ? await startSmtpListener(deps, {
        ...options.config.smtpListen,
        ...(options.emailDnsResolver ? { resolver: options.emailDnsResolver } : {}),
      })
    : null;
  const imap = startImapWatchers(deps, { pollMs: options.config.imapPollMs });
  void imap
    .refresh()
    .catch((error: unknown) => options.logger.warn({ err: error }, 'imap: watchers not started'));
  // Telegram bots in polling mode: one getUpdates loop each; new bots are found at each rescan.
  const telegramPolling = startTelegramPolling(deps, {
    rescanMs: options.jobPollMs ? Math.max(options.jobPollMs * 10, 200) : 10_000,
  });
  return {
    app,
    deps,
    realtime,
    worker: runningWorker,
    subscribe: bus.subscribe,
    smtp,
    imap,
    close: async () => {
      await imap.close();
      await smtp?.close();
      await telegramPolling.stop();
      await runningWorker.stop();
      await realtime.close();
      await app.close();
    },
  };
}
