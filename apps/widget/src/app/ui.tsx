import type { TMessage } from '@kefu/shared';
import type { WidgetMessages } from '@kefu/shared/i18n/widget';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ArticleHit } from './api.ts';
import type { ChatClient, ChatState } from './client.ts';
import { trapTab } from './focus.ts';
import {
  BotIcon,
  ChatIcon,
  CheckIcon,
  ClipIcon,
  CloseIcon,
  FileIcon,
  LockIcon,
  MailIcon,
  PersonIcon,
  SendIcon,
  StarIcon,
} from './icons.tsx';
import type { AttachmentRef, OutboxItem } from './storage.ts';
import { fileSize, isCsatRequest, messageParts } from './text.ts';

type T = (key: keyof WidgetMessages, vars?: Record<string, string | number>) => string;
type Props = { client: ChatClient; state: ChatState; t: T };

const ACCEPT = 'image/png,image/jpeg,image/gif,image/webp,application/pdf';
const MAX_FILES = 5;

function useChatState(client: ChatClient): ChatState {
  const [state, setState] = useState(client.getState());
  useEffect(() => {
    setState(client.getState());
    const unsubscribe = client.subscribe(setState);
    return () => {
      unsubscribe();
    };
  }, [client]);
  return state;
}

export function Widget({ client }: { client: ChatClient }) {
  const state = useChatState(client);
  const t: T = (key, vars) => client.t(key, vars);
  const launcher = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(state.open);

  useEffect(() => {
    // Back to the launcher when the panel closes (Esc, the × button or the host page).
    if (wasOpen.current && !state.open) launcher.current?.focus();
    wasOpen.current = state.open;
  }, [state.open]);

  const announcement = state.announcement
    ? t('newMessage', { name: state.announcement.name, text: state.announcement.text })
    : '';
  return (
    <div
      class="kefu"
      lang={state.locale}
      style={state.widget ? `--accent: ${state.widget.config.color}` : undefined}
    >
      {state.open && <Panel client={client} state={state} t={t} />}
      <button
        ref={launcher}
        type="button"
        class={state.open ? 'launcher is-open' : 'launcher'}
        aria-label={
          state.open
            ? t('closeChat')
            : state.unread > 0
              ? `${t('openChat')} (${t('unread', { count: state.unread })})`
              : t('openChat')
        }
        aria-expanded={state.open}
        aria-controls="kefu-panel"
        onClick={() => client.setOpen(!state.open)}
      >
        {state.open ? <CloseIcon /> : <ChatIcon />}
        {!state.open && state.unread > 0 && (
          <span class="badge" aria-hidden="true">
            {state.unread > 9 ? '9+' : state.unread}
          </span>
        )}
      </button>
      <div class="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
    </div>
  );
}

function Panel({ client, state, t }: Props) {
  const panel = useRef<HTMLElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    input.current?.focus();
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      client.setOpen(false);
    } else if (event.key === 'Tab' && panel.current) {
      trapTab(event, panel.current);
    }
  };

  const waiting = !state.assigneeName && (state.humanRequested || state.queue !== null);
  const subtitle = state.assigneeName
    ? `${state.assigneeName} ${t('agentSubtitle')}`
    : waiting
      ? t('waitingSubtitle')
      : t('assistantSubtitle');
  const other = state.locale === 'en' ? 'zh-CN' : 'en';

  return (
    <section
      ref={panel}
      id="kefu-panel"
      class="panel"
      role="dialog"
      aria-modal="true"
      aria-labelledby="kefu-title"
      aria-describedby="kefu-subtitle"
      onKeyDown={onKeyDown}
    >
      <header class="header">
        <div class="header-row">
          <div class="avatar" aria-hidden="true">
            {state.assigneeName ? initials(state.assigneeName) : <BotIcon />}
          </div>
          <div class="header-text">
            <h2 class="title" id="kefu-title">
              {t('title')}
            </h2>
            <div class="subtitle" id="kefu-subtitle">
              {subtitle}
            </div>
          </div>
          <button
            type="button"
            class="header-button"
            lang={other}
            aria-label={t('switchLanguageLabel')}
            onClick={() => client.setLocale(other)}
          >
            {t('switchLanguage')}
          </button>
          {state.conversationId && (
            <button
              type="button"
              class="header-button icon"
              aria-label={t('transcriptAction')}
              title={t('transcriptAction')}
              aria-expanded={state.transcript.step !== 'closed'}
              onClick={() => client.toggleTranscript()}
            >
              <MailIcon />
            </button>
          )}
          <button
            type="button"
            class="header-button icon"
            aria-label={t('closeChat')}
            onClick={() => client.setOpen(false)}
          >
            <CloseIcon />
          </button>
        </div>
        {(state.number !== null || state.assigneeName) && (
          <div class="header-meta">
            {state.number !== null && (
              <span class="chip" data-testid="ticket-number">
                {t('ticket', { number: state.number })}
              </span>
            )}
            {state.assigneeName && (
              <>
                <span class="chip" data-testid="assignee">
                  {state.assigneeName}
                </span>
                <Verified t={t} />
              </>
            )}
          </div>
        )}
      </header>
      <Transcript client={client} state={state} t={t} />
      <Notices client={client} state={state} t={t} />
      <Messages client={client} state={state} t={t} />
      {client.needsPreChat() ? (
        <PreChatForm client={client} state={state} t={t} />
      ) : (
        <Composer client={client} state={state} t={t} input={input} />
      )}
    </section>
  );
}

function initials(name: string): string {
  const trimmed = name.trim();
  const first = [...trimmed][0] ?? '?';
  return first.toUpperCase();
}

function Verified({ t }: { t: T }) {
  return (
    <span class="verified" title={t('verifiedStaffHint')}>
      <CheckIcon />
      {t('verifiedStaff')}
    </span>
  );
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Name, email and/or topic before the first message, as the inbox's form asks. */
function PreChatForm({ client, state, t }: Props) {
  const [values, setValues] = useState({ name: '', email: '', topic: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const widget = state.widget;
  if (!widget) return null;
  const { config, preChat: needs } = widget;
  const required = (field: 'name' | 'email' | 'topic') => config.preChat[field] === 'required';
  const change = (field: keyof typeof values) => (event: Event) =>
    setValues({ ...values, [field]: (event.currentTarget as HTMLInputElement).value });

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (needs.name && required('name') && !values.name.trim()) found.name = t('preChatRequired');
    if (needs.email && required('email') && !values.email.trim())
      found.email = t('preChatRequired');
    else if (needs.email && values.email.trim() && !EMAIL.test(values.email.trim()))
      found.email = t('preChatEmailInvalid');
    if (needs.topic && required('topic') && !values.topic) found.topic = t('preChatTopicRequired');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setServerError(await client.submitPreChat(values));
    setBusy(false);
  };

  const field = (
    name: 'name' | 'email',
    label: string,
    type: 'text' | 'email',
    autoComplete: string,
  ) => (
    <label class="prechat-field">
      <span>
        {label}
        {required(name) ? ' *' : ''}
      </span>
      <input
        type="text"
        inputMode={type}
        autoComplete={autoComplete}
        value={values[name]}
        onInput={change(name)}
        aria-invalid={errors[name] ? 'true' : undefined}
        aria-describedby={errors[name] ? `kefu-prechat-${name}-error` : undefined}
      />
      {errors[name] && (
        <span class="prechat-error" id={`kefu-prechat-${name}-error`}>
          {errors[name]}
        </span>
      )}
    </label>
  );

  return (
    <form class="prechat" data-testid="prechat" noValidate onSubmit={(e) => void submit(e)}>
      <p class="prechat-intro">{t('preChatIntro')}</p>
      {needs.name && field('name', t('preChatName'), 'text', 'name')}
      {needs.email && field('email', t('emailLabel'), 'email', 'email')}
      {needs.topic && (
        <label class="prechat-field">
          <span>
            {t('preChatTopic')}
            {required('topic') ? ' *' : ''}
          </span>
          <select
            value={values.topic}
            onChange={change('topic')}
            aria-invalid={errors.topic ? 'true' : undefined}
          >
            <option value="">{t('preChatTopicChoose')}</option>
            {config.preChat.topics.map((topic) => (
              <option key={topic.id} value={topic.id}>
                {topic[state.locale]}
              </option>
            ))}
          </select>
          {errors.topic && <span class="prechat-error">{errors.topic}</span>}
        </label>
      )}
      {serverError && (
        <div class="prechat-error" role="alert">
          {serverError}
        </div>
      )}
      <button type="submit" class="prechat-submit" disabled={busy}>
        {t('preChatStart')}
      </button>
    </form>
  );
}

function Transcript({ client, state, t }: Props) {
  const [email, setEmail] = useState('');
  const tr = state.transcript;
  if (tr.step === 'closed') return null;
  if (tr.step === 'sent') {
    return (
      <div class="notice transcript" role="status" data-testid="transcript">
        {t('transcriptSent', { email: tr.email })}
      </div>
    );
  }
  const needEmail = tr.needEmail;
  return (
    <form
      class="notice transcript"
      data-testid="transcript"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void client.emailTranscript(needEmail ? email.trim() : undefined);
      }}
    >
      <div>{needEmail ? t('transcriptNeedEmail') : t('transcriptIntro')}</div>
      <div class="transcript-row">
        {needEmail && (
          <input
            type="email"
            class="transcript-email"
            autoComplete="email"
            aria-label={t('emailLabel')}
            placeholder={t('emailLabel')}
            value={email}
            onInput={(event) => setEmail((event.currentTarget as HTMLInputElement).value)}
          />
        )}
        <button type="submit" class="link-button" disabled={tr.step === 'sending'}>
          {tr.step === 'sending' ? t('sending') : t('transcriptSend')}
        </button>
      </div>
      {tr.step === 'open' && tr.error && (
        <div class="transcript-error" role="alert">
          {tr.error}
        </div>
      )}
    </form>
  );
}

function Notices({ client, state, t }: Props) {
  if (state.phase === 'unavailable') {
    return (
      <div class="notice error" role="alert">
        <span>{state.error ?? t('unavailable')}</span>
        <button type="button" class="link-button" onClick={() => void client.start()}>
          {t('retryConnect')}
        </button>
      </div>
    );
  }
  const now = Date.now();
  const banners = state.banners.filter(
    (b) => Date.parse(b.startsAt) <= now && (!b.endsAt || Date.parse(b.endsAt) > now),
  );
  return (
    <>
      {banners.map((b) => (
        <div
          key={b.id}
          class={`notice banner ${b.severity}`}
          role="status"
          data-testid="announcement"
        >
          <strong>{t(b.severity === 'incident' ? 'incidentLabel' : 'noticeLabel')}</strong>{' '}
          {b.text[state.locale]}
          {b.details[state.locale] && <div class="banner-details">{b.details[state.locale]}</div>}
        </div>
      ))}
      {state.phase === 'ready' && state.offline && (
        <div class="notice offline" role="status">
          {t('reconnecting')}
        </div>
      )}
      {state.queue && !state.assigneeName && (
        <div class="notice queue" role="status" data-testid="queue">
          {t('queuePosition', { position: state.queue.position })}{' '}
          {state.queue.estimatedWaitSeconds !== null
            ? t('queueWait', {
                minutes: Math.max(1, Math.round(state.queue.estimatedWaitSeconds / 60)),
              })
            : t('queueWaitUnknown')}
        </div>
      )}
    </>
  );
}

function Messages({ client, state, t }: Props) {
  const list = useRef<HTMLOListElement>(null);
  const pinned = useRef(true);
  const count = state.messages.length + state.outbox.length;

  useLayoutEffect(() => {
    const el = list.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [count, state.agentTyping, state.csat]);

  const lastMine = [...state.messages].reverse().find((m) => m.senderType === 'contact');
  // The secret-guard notice already shows under the message it is about (from the send ack).
  const shownWarnings = new Set(Object.values(state.warnings));
  const visibleMessages = state.messages.filter(
    (m) => !(m.kind === 'secret_warning' && shownWarnings.has(m.text)),
  );
  return (
    <ol
      ref={list}
      class="messages"
      aria-label={t('messagesLabel')}
      onScroll={(event) => {
        const el = event.currentTarget as HTMLElement;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 60;
      }}
    >
      <li class="msg theirs assistant">
        <div class="sender">{t('assistantName')}</div>
        <div class="bubble">{state.widget?.config.greeting[state.locale] || t('greeting')}</div>
      </li>
      {visibleMessages.map((m) => (
        <MessageItem
          key={m.id}
          message={m}
          client={client}
          state={state}
          t={t}
          showState={m === lastMine}
        />
      ))}
      {state.outbox.map((item) => (
        <PendingItem key={item.clientMessageId} item={item} client={client} t={t} />
      ))}
      {state.agentTyping && (
        <li class="typing" aria-hidden="true">
          {t('typing', { name: state.agentTyping })}
        </li>
      )}
    </ol>
  );
}

const SECRET_KINDS = ['seed_phrase', 'private_key', 'password', 'api_secret'];

function Text({ text, t }: { text: string; t: T }) {
  return (
    <>
      {messageParts(text).map((part, i) => {
        if (part.kind === 'link') {
          return (
            <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
              {part.text}
            </a>
          );
        }
        if (part.kind === 'redacted') {
          const key = SECRET_KINDS.includes(part.secret)
            ? (`secret_${part.secret}` as keyof WidgetMessages)
            : 'secret_other';
          return (
            <span key={i} class="redacted">
              <LockIcon />
              {t('redacted', { kind: t(key) })}
            </span>
          );
        }
        return part.text;
      })}
    </>
  );
}

function MessageItem({
  message: m,
  client,
  state,
  t,
  showState,
}: Props & { message: TMessage; showState: boolean }) {
  const mine = m.senderType === 'contact';
  const kind = mine
    ? 'msg mine'
    : m.senderType === 'system'
      ? 'msg system'
      : `msg theirs ${m.senderType}`;
  const warning = state.warnings[m.id];
  return (
    <li class={kind} data-sender={m.senderType} data-kind={m.kind ?? undefined} data-seq={m.seq}>
      {!mine && m.senderType !== 'system' && (
        <div class="sender">
          {client.senderName(m)}
          {m.senderType === 'agent' && <Verified t={t} />}
        </div>
      )}
      {m.text && (
        <div class="bubble">
          {mine && <span class="sr-only">{t('you')}: </span>}
          <Text text={m.text} t={t} />
        </div>
      )}
      {m.attachments.length > 0 && <Files files={m.attachments} client={client} t={t} />}
      {mine && showState && (
        <div class="state">{state.agentReadSeq >= m.seq ? t('read') : t('sent')}</div>
      )}
      {warning && (
        <div class="warning" role="alert">
          <strong>{t('secretWarningTitle')}</strong>
          {warning}
        </div>
      )}
      {isCsatRequest(m) && <Csat message={m} client={client} state={state} t={t} />}
      {m.kind === 'outside_hours' && (
        <OutsideHours message={m} client={client} state={state} t={t} />
      )}
    </li>
  );
}

/** Outside business hours: when a person replies in the customer's own time, and "leave your email". */
function OutsideHours({ message, client, state, t }: Props & { message: TMessage }) {
  const [email, setEmail] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const opening = message.nextOpening ? new Date(message.nextOpening) : null;
  const local =
    opening && !Number.isNaN(opening.getTime())
      ? new Intl.DateTimeFormat(state.locale, {
          weekday: 'short',
          month: 'short',
          day: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
        }).format(opening)
      : null;
  const hasEmail = state.widget?.hasEmail ?? false;
  const submit = async (event: Event) => {
    event.preventDefault();
    const value = email.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
      setError(t('preChatEmailInvalid'));
      return;
    }
    setBusy(true);
    const result = await client.leaveEmail(value);
    setBusy(false);
    if (result.ok) setSaved(result.email);
    else setError(result.error);
  };
  return (
    <div class="outside-hours" data-testid="outside-hours">
      {local && <div class="outside-local">{t('outsideHoursLocal', { time: local })}</div>}
      {saved ? (
        <div role="status">{t('leaveEmailSaved', { email: saved })}</div>
      ) : (
        !hasEmail && (
          <form noValidate onSubmit={(e) => void submit(e)}>
            <div>{t('leaveEmailIntro')}</div>
            <div class="transcript-row">
              <input
                type="text"
                inputMode="email"
                class="transcript-email"
                autoComplete="email"
                aria-label={t('emailLabel')}
                placeholder={t('emailLabel')}
                value={email}
                onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)}
              />
              <button type="submit" class="link-button" disabled={busy}>
                {t('leaveEmailSave')}
              </button>
            </div>
            {error && (
              <div class="transcript-error" role="alert">
                {error}
              </div>
            )}
          </form>
        )
      )}
    </div>
  );
}

function PendingItem({ item, client, t }: { item: OutboxItem; client: ChatClient; t: T }) {
  return (
    <li class="msg mine" data-pending="true">
      {item.text && (
        <div class="bubble">
          <Text text={item.text} t={t} />
        </div>
      )}
      {item.attachments.length > 0 && <Files files={item.attachments} client={client} t={t} />}
      {item.failed ? (
        <div class="state failed" role="alert">
          <span>
            {t('failed')}
            {item.error ? `: ${item.error}` : ''}
          </span>
          <button
            type="button"
            class="link-button"
            onClick={() => client.retry(item.clientMessageId)}
          >
            {t('retry')}
          </button>
        </div>
      ) : (
        <div class="state">{t('sending')}</div>
      )}
    </li>
  );
}

function Files({ files, client, t }: { files: AttachmentRef[]; client: ChatClient; t: T }) {
  return (
    <div class="files">
      {files.map((file) => (
        <FileChip key={file.id} file={file} client={client} t={t} />
      ))}
    </div>
  );
}

function FileChip({ file, client, t }: { file: AttachmentRef; client: ChatClient; t: T }) {
  const [preview, setPreview] = useState<string | null>(null);
  const isImage = file.type.startsWith('image/');

  useEffect(() => {
    if (!isImage) return;
    let url: string | null = null;
    let cancelled = false;
    client.api
      .attachment(file.id)
      .then((blob) => {
        if (cancelled) return;
        url = URL.createObjectURL(blob);
        setPreview(url);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [file.id]);

  const open = async () => {
    try {
      const blob = await client.api.attachment(file.id);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = file.name;
      a.rel = 'noopener';
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch {
      // The chip stays; the customer can try again.
    }
  };
  const size = fileSize(file.size);
  return (
    <button
      type="button"
      class="file"
      aria-label={t('openAttachment', { name: file.name })}
      onClick={() => void open()}
    >
      {preview ? <img src={preview} alt="" /> : <FileIcon />}
      {!preview && (
        <span class="name">
          {file.name} · {t(size.key, { size: size.size })}
        </span>
      )}
    </button>
  );
}

function Csat({ message, client, state, t }: Props & { message: TMessage }) {
  const saved = state.csat[message.id];
  const [score, setScore] = useState(saved?.score ?? 0);
  const [comment, setComment] = useState('');
  const [hint, setHint] = useState('');
  const labels = [
    t('csatLabel1'),
    t('csatLabel2'),
    t('csatLabel3'),
    t('csatLabel4'),
    t('csatLabel5'),
  ];

  if (saved?.state === 'done') {
    return (
      <div class="csat" role="status" data-testid="csat-done">
        <div class="stars" aria-hidden="true">
          {[1, 2, 3, 4, 5].map((n) => (
            <span key={n} class={n <= saved.score ? 'star on' : 'star'}>
              <StarIcon filled={n <= saved.score} />
            </span>
          ))}
        </div>
        {t('csatThanks')}
      </div>
    );
  }
  const submit = (event: Event) => {
    event.preventDefault();
    if (score < 1) {
      setHint(t('csatChooseScore'));
      return;
    }
    setHint('');
    void client.submitCsat(message, score, comment);
  };
  const titleId = `kefu-csat-${message.id}`;
  return (
    <form class="csat" onSubmit={submit} aria-labelledby={titleId} data-testid="csat">
      <h3 id={titleId}>{t('csatTitle')}</h3>
      <div class="stars">
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            key={n}
            type="button"
            class={n <= score ? 'star on' : 'star'}
            aria-pressed={n === score}
            aria-label={t('csatScore', { score: n, label: labels[n - 1] ?? '' })}
            onClick={() => setScore(n)}
          >
            <StarIcon filled={n <= score} />
          </button>
        ))}
      </div>
      <div class="csat-label" aria-live="polite">
        {score > 0 ? labels[score - 1] : ''}
      </div>
      <textarea
        aria-label={t('csatComment')}
        placeholder={t('csatComment')}
        maxLength={1000}
        value={comment}
        onInput={(event) => setComment((event.currentTarget as HTMLTextAreaElement).value)}
      />
      <button type="submit" class="primary" disabled={saved?.state === 'sending'}>
        {t('csatSubmit')}
      </button>
      {(hint || saved?.state === 'error') && (
        <div class="csat-error" role="alert">
          {hint || saved?.error}
        </div>
      )}
    </form>
  );
}

type Upload = {
  key: string;
  name: string;
  progress: number;
  ref?: AttachmentRef;
  error?: string;
  abort?: () => void;
};

function Composer({
  client,
  state,
  t,
  input,
}: Props & { input: { current: HTMLTextAreaElement | null } }) {
  const [text, setText] = useState('');
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [hits, setHits] = useState<ArticleHit[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);
  const query = text.trim();

  // Articles that may answer the question, while the customer types it.
  useEffect(() => {
    if (query.length < 3) {
      setHits([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      client.api
        .searchArticles(query, state.locale, controller.signal)
        .then((result) => setHits(result.hits.slice(0, 3)))
        .catch(() => undefined);
    }, 350);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, state.locale]);

  // A person is already on it (queued or assigned) until the ticket is resolved.
  const humanInvolved =
    (state.assigneeName !== null || state.queue !== null || state.humanRequested) &&
    state.status !== 'resolved' &&
    state.status !== 'closed';
  const ready = uploads.flatMap((u) => (u.ref ? [u.ref] : []));
  const uploading = uploads.some((u) => !u.ref && !u.error);
  const canSend = (query.length > 0 || ready.length > 0) && !uploading;

  const resize = () => {
    const el = input.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 120)}px`;
  };

  const submit = (event?: Event) => {
    event?.preventDefault();
    if (!canSend) return;
    client.send(query, ready);
    setText('');
    setUploads([]);
    setHits([]);
    requestAnimationFrame(resize);
  };

  const update = (key: string, patch: Partial<Upload>) =>
    setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...patch } : u)));

  const pick = async (files: FileList | null) => {
    if (!files) return;
    await client.start();
    const room = MAX_FILES - uploads.length;
    for (const file of [...files].slice(0, Math.max(0, room))) {
      const key = `${Date.now()}-${Math.random()}`;
      const job = client.api.upload(file, (fraction) => update(key, { progress: fraction }));
      setUploads((list) => [...list, { key, name: file.name, progress: 0, abort: job.abort }]);
      job.done
        .then((ref) => update(key, { ref, progress: 1 }))
        .catch((error: unknown) => {
          const missing = error instanceof ApiError && error.code === 'request.not_found';
          if (missing) client.disableAttachments();
          const known = error instanceof ApiError && error.status !== 0 && !missing;
          update(key, { error: known ? error.message : t('uploadFailed') });
        });
    }
    if (fileInput.current) fileInput.current.value = '';
  };

  const remove = (upload: Upload) => {
    upload.abort?.();
    setUploads((list) => list.filter((u) => u.key !== upload.key));
  };

  return (
    <>
      {hits.length > 0 && (
        <nav class="suggestions" aria-labelledby="kefu-suggestions">
          <h3 id="kefu-suggestions">{t('suggestions')}</h3>
          <ul>
            {hits.map((hit) => (
              <li key={hit.id}>
                <a href={client.api.articleUrl(hit)} target="_blank" rel="noopener noreferrer">
                  {hit.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <div class="actions">
        <button
          type="button"
          class="handoff"
          disabled={humanInvolved}
          onClick={() => void client.requestHuman()}
        >
          <PersonIcon />
          {t('talkToPerson')}
        </button>
      </div>
      <form class="composer" onSubmit={submit}>
        {uploads.length > 0 && (
          <ul class="uploads" aria-label={t('attach')}>
            {uploads.map((u) => (
              <li key={u.key} class={u.error ? 'upload error' : 'upload'}>
                <span class="name">{u.name}</span>
                {u.error ? (
                  <span class="message" role="alert">
                    {u.error}
                  </span>
                ) : u.ref ? (
                  <CheckIcon />
                ) : (
                  <progress
                    max={100}
                    value={Math.round(u.progress * 100)}
                    aria-label={t('uploading', { percent: Math.round(u.progress * 100) })}
                  />
                )}
                <button
                  type="button"
                  aria-label={t('removeAttachment', { name: u.name })}
                  onClick={() => remove(u)}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <div class="composer-row">
          {state.attachments && (
            <>
              <button
                type="button"
                class="icon-button"
                aria-label={t('attach')}
                title={`${t('attach')} (${t('attachmentTypes')})`}
                disabled={uploads.length >= MAX_FILES}
                onClick={() => fileInput.current?.click()}
              >
                <ClipIcon />
              </button>
              <input
                ref={fileInput}
                type="file"
                accept={ACCEPT}
                multiple
                hidden
                data-testid="attach-input"
                onChange={(event) => void pick((event.currentTarget as HTMLInputElement).files)}
              />
            </>
          )}
          <textarea
            ref={input}
            rows={1}
            value={text}
            aria-label={t('messageLabel')}
            placeholder={t('placeholder')}
            maxLength={10_000}
            onInput={(event) => {
              const value = (event.currentTarget as HTMLTextAreaElement).value;
              setText(value);
              client.noteTyping(value.trim().length > 0);
              resize();
            }}
            onKeyDown={(event) => {
              // Enter sends; Shift+Enter is a new line; Enter that confirms an IME candidate is not a send.
              if (
                event.key === 'Enter' &&
                !event.shiftKey &&
                !event.isComposing &&
                event.keyCode !== 229
              ) {
                submit(event);
              }
            }}
          />
          <button type="submit" class="icon-button send" aria-label={t('send')} disabled={!canSend}>
            <SendIcon />
          </button>
        </div>
        <div class="footer">{t('poweredBy')}</div>
      </form>
    </>
  );
}
