import { randomUUID } from 'node:crypto';
import type { TTelegramChannel } from '@kefu/shared';
import { translate } from '@kefu/shared/i18n';
import { generateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadAttachment } from '../src/attachments/upload-attachment.ts';
import { splitForTelegram } from '../src/channels/telegram/deliverer.ts';
import { contacts } from '../src/contacts/schema.ts';
import { conversations, messages, outbox } from '../src/conversations/schema.ts';
import { seedDemoKnowledge } from '../src/demo/seed-knowledge.ts';
import { getInboxRow } from '../src/inboxes/inboxes.ts';
import { PNG, startFakeBotApi, type Update, type UploadedFile } from './helpers/fake-telegram.ts';
import { expectEventually, seedSupportDesk } from './helpers/realtime.ts';
import {
  createTestKefu,
  errorOf,
  seedAgent,
  type TestAgent,
  type TestKefu,
} from './helpers/test-kefu.ts';

let kefu: TestKefu;
let admin: TestAgent;
let bot: Awaited<ReturnType<typeof startFakeBotApi>>;
let nextUpdateId = 5000;
let nextUserId = 900_000;

const botToken = () => `${Math.floor(Math.random() * 1e9)}:AAH${randomUUID().replaceAll('-', '')}`;

function textUpdate(userId: number, text: string, extra: Record<string, unknown> = {}): Update {
  const id = nextUpdateId++;
  return {
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: 'private', first_name: 'Li' },
      from: { id: userId, is_bot: false, first_name: 'Li', last_name: 'Wei', language_code: 'en' },
      text,
      ...extra,
    },
  };
}

async function connectBot(mode: 'webhook' | 'polling', token = botToken()) {
  const response = await kefu.app.inject({
    method: 'POST',
    url: '/api/v1/channels/telegram',
    headers: { cookie: admin.cookie },
    payload: { name: `Bot ${mode}`, botToken: token, mode, apiRoot: bot.apiRoot },
  });
  expect(response.statusCode, response.body).toBe(201);
  return { channel: response.json() as TTelegramChannel, token };
}

async function conversationOf(userId: number) {
  const [contact] = await kefu.deps.db
    .select()
    .from(contacts)
    .where(eq(contacts.telegramId, String(userId)));
  if (!contact) throw new Error('no contact yet');
  const [row] = await kefu.deps.db
    .select()
    .from(conversations)
    .where(eq(conversations.contactId, contact.id));
  if (!row) throw new Error('no conversation yet');
  return { contact, conversation: row };
}

async function customerMessages(conversationId: string) {
  return kefu.deps.db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.senderType, 'contact')))
    .orderBy(asc(messages.seq));
}

beforeAll(async () => {
  kefu = await createTestKefu({ assistant: true });
  await seedDemoKnowledge(kefu.deps);
  await seedSupportDesk(kefu);
  admin = await seedAgent(kefu, 'admin', { languages: ['en', 'zh-CN'] });
  bot = await startFakeBotApi();
});

afterAll(async () => {
  await kefu?.close();
  await bot?.close();
});

describe('Telegram channel', () => {
  it('refuses a token Telegram rejects and stores the token encrypted', async () => {
    const { channel, token } = await connectBot('polling');
    const row = await getInboxRow(kefu.deps.db, channel.inboxId);
    expect(row.channel).toBe('telegram');
    expect(JSON.stringify(row.settings)).not.toContain(token.split(':')[1]);
    expect(channel.botUsername).toBe('kefu_test_bot');
    const bad = await kefu.app.inject({
      method: 'POST',
      url: '/api/v1/channels/telegram',
      headers: { cookie: admin.cookie },
      payload: { name: 'x', botToken: botToken(), mode: 'polling', apiRoot: 'http://127.0.0.1:1' },
    });
    expect(bad.statusCode).toBe(400);
    // Admins see the bot and its state, never its token.
    const list = await kefu.app.inject({
      url: '/api/v1/channels/telegram',
      headers: { cookie: admin.cookie },
    });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(token.split(':')[1]);
    const listed = (
      list.json() as {
        channels: { inboxId: string; mode: string; status: { state: string } | null }[];
      }
    ).channels.find((c) => c.inboxId === channel.inboxId);
    expect(listed).toMatchObject({ mode: 'polling', status: { state: 'ok' } });
  });

  it('an admin switches a bot to webhook mode and renews its token; another bot’s token is refused', async () => {
    const { channel, token } = await connectBot('polling');
    const patch = (payload: object) =>
      kefu.app.inject({
        method: 'PATCH',
        url: `/api/v1/channels/telegram/${channel.inboxId}`,
        headers: { cookie: admin.cookie },
        payload,
      });
    const switched = await patch({ mode: 'webhook', name: 'Telegram (webhook)' });
    expect(switched.statusCode, switched.body).toBe(200);
    expect(switched.json()).toMatchObject({ mode: 'webhook', name: 'Telegram (webhook)' });
    const setWebhook = bot.calls.filter((c) => c.method === 'setWebhook' && c.token === token);
    expect(setWebhook).toHaveLength(1);
    const secret = String(setWebhook[0]?.body.secret_token);
    const userId = nextUserId++;
    const delivered = await kefu.app.inject({
      method: 'POST',
      url: `/api/v1/channels/telegram/${channel.inboxId}/webhook`,
      headers: { 'x-telegram-bot-api-secret-token': secret },
      payload: textUpdate(userId, 'Hello after the switch'),
    });
    expect(delivered.statusCode).toBe(200);

    // BotFather renewed the token: same bot id, new secret part; the old one is gone.
    const renewed = `${token.split(':')[0]}:AAH${randomUUID().replaceAll('-', '')}`;
    expect((await patch({ botToken: renewed })).statusCode).toBe(200);
    expect(bot.calls.some((c) => c.method === 'setWebhook' && c.token === renewed)).toBe(true);
    const row = await getInboxRow(kefu.deps.db, channel.inboxId);
    expect(JSON.stringify(row.settings)).not.toContain(renewed.split(':')[1]);

    const other = await patch({ botToken: botToken() });
    expect(other.statusCode).toBe(400);
    expect((other.json() as { error: { code: string } }).error.code).toBe(
      'channel.telegram_other_bot',
    );
  });

  it('polling: a customer message goes through the pipeline and the assistant answers in the chat', async () => {
    const { channel, token } = await connectBot('polling');
    const userId = nextUserId++;
    const update = textUpdate(userId, 'How long do KYC reviews take?');
    bot.push(token, update);
    const { conversation } = await expectEventually(() => conversationOf(userId), 10_000);
    expect(conversation.channel).toBe('telegram');
    expect(conversation.inboxId).toBe(channel.inboxId);
    const [stored] = await customerMessages(conversation.id);
    expect(stored?.idempotencyKey).toBe(`tg:${update.update_id}`);
    // The assistant's answer goes out with sendMessage to this chat, with feedback buttons.
    const sent = await expectEventually(() => {
      const list = bot.sent(userId);
      expect(list.length).toBeGreaterThan(0);
      return list;
    }, 10_000);
    expect(JSON.stringify(sent.map((c) => c.body.reply_markup))).toContain('callback_data');
    // The offset is persisted: a restarted node asks from the next update on.
    await expectEventually(async () => {
      const row = await getInboxRow(kefu.deps.db, channel.inboxId);
      expect(row.settings.pollOffset).toBe(update.update_id + 1);
    });
  }, 30_000);

  it('webhook: verifies the secret, stores a redelivered update once, masks a seed phrase', async () => {
    const { channel, token } = await connectBot('webhook');
    const setWebhook = bot.calls.find((c) => c.method === 'setWebhook' && c.token === token);
    expect(setWebhook?.body.url).toBe(channel.webhookUrl);
    expect(channel.webhookUrl).toMatch(
      new RegExp(`/api/v1/channels/telegram/${channel.inboxId}/webhook$`),
    );
    const secret = String(setWebhook?.body.secret_token);
    const post = (update: Update, secretToken: string | null) =>
      kefu.app.inject({
        method: 'POST',
        url: `/api/v1/channels/telegram/${channel.inboxId}/webhook`,
        headers: secretToken ? { 'x-telegram-bot-api-secret-token': secretToken } : {},
        payload: update,
      });

    const userId = nextUserId++;
    const first = textUpdate(userId, 'Hello, I need help with my account');
    const wrong = await post(first, 'not-the-secret');
    expect(wrong.statusCode).toBe(401);
    expect(errorOf(wrong).code).toBe('channel.telegram_secret_invalid');
    expect((await post(first, null)).statusCode).toBe(401);
    await expect(conversationOf(userId)).rejects.toThrow();

    expect((await post(first, secret)).statusCode).toBe(200);
    // Telegram redelivers when it missed our 200: nothing new is stored.
    expect((await post(first, secret)).statusCode).toBe(200);
    const { conversation } = await conversationOf(userId);
    expect(await customerMessages(conversation.id)).toHaveLength(1);

    const phrase = generateMnemonic(english, 128);
    expect((await post(textUpdate(userId, `my seed is ${phrase}`), secret)).statusCode).toBe(200);
    const stored = await customerMessages(conversation.id);
    expect(stored).toHaveLength(2);
    expect(stored[1]?.text).not.toContain(phrase);
    expect(stored[1]?.text).toContain('REDACTED');
    expect((stored[1]?.redactions ?? []) as { kind: string }[]).toMatchObject([
      { kind: 'seed_phrase' },
    ]);

    // Only control characters: nothing to store; the customer is told what the chat takes.
    expect((await post(textUpdate(userId, '\u0001\u200b\u0007'), secret)).statusCode).toBe(200);
    expect(await customerMessages(conversation.id)).toHaveLength(2);
    expect(
      bot.calls.some(
        (c) =>
          c.method === 'sendMessage' &&
          c.body.chat_id === userId &&
          c.body.text === translate('en', 'telegram.unsupported'),
      ),
    ).toBe(true);

    // A photo is downloaded through getFile and stored as an attachment.
    const photo = textUpdate(userId, '', {
      text: undefined,
      caption: 'screenshot of the error',
      photo: [{ file_id: 'photo-1', file_unique_id: 'p1', width: 1, height: 1 }],
    });
    expect((await post(photo, secret)).statusCode).toBe(200);
    const withPhoto = await customerMessages(conversation.id);
    expect(withPhoto.at(-1)?.attachments).toHaveLength(1);
    expect(withPhoto.at(-1)?.text).toBe('screenshot of the error');
  }, 30_000);

  it('/human hands off; /ticket answers only for own tickets; /language changes the locale', async () => {
    const { channel, token } = await connectBot('webhook');
    const secret = String(
      bot.calls.find((c) => c.method === 'setWebhook' && c.token === token)?.body.secret_token,
    );
    const post = (update: Update) =>
      kefu.app.inject({
        method: 'POST',
        url: `/api/v1/channels/telegram/${channel.inboxId}/webhook`,
        headers: { 'x-telegram-bot-api-secret-token': secret },
        payload: update,
      });
    const userId = nextUserId++;
    await post(textUpdate(userId, 'How long do KYC reviews take?'));
    const { conversation } = await conversationOf(userId);
    expect(conversation.handler).toBe('assistant');
    expect((await post(textUpdate(userId, '/human'))).statusCode).toBe(200);
    const after = await conversationOf(userId);
    expect(after.conversation.handler).toBe('human');

    await post(textUpdate(userId, `/ticket ${conversation.number}`));
    const otherUser = nextUserId++;
    await post(textUpdate(otherUser, `/ticket ${conversation.number}`));
    const mine = bot.sent(userId).map((c) => String(c.body.text));
    expect(mine.some((t) => t.includes(`#${conversation.number}`) && !/found no/.test(t))).toBe(
      true,
    );
    expect(
      bot
        .sent(otherUser)
        .map((c) => String(c.body.text))
        .join('\n'),
    ).toMatch(/found no ticket/);

    await post(textUpdate(userId, '/language zh'));
    expect((await conversationOf(userId)).contact.locale).toBe('zh-CN');
    expect(bot.sent(userId).map((c) => String(c.body.text))).toContain('语言已切换为中文。');

    await post(textUpdate(userId, '/verify https://examp1e-support.com'));
    expect(bot.sent(userId).at(-1)?.body.text).toBeTruthy();
  }, 30_000);

  it('delivers an agent reply to the chat, waiting out a 429 retry_after', async () => {
    const { channel, token } = await connectBot('webhook');
    const secret = String(
      bot.calls.find((c) => c.method === 'setWebhook' && c.token === token)?.body.secret_token,
    );
    const userId = nextUserId++;
    await kefu.app.inject({
      method: 'POST',
      url: `/api/v1/channels/telegram/${channel.inboxId}/webhook`,
      headers: { 'x-telegram-bot-api-secret-token': secret },
      payload: textUpdate(userId, '/human'),
    });
    await kefu.app.inject({
      method: 'POST',
      url: `/api/v1/channels/telegram/${channel.inboxId}/webhook`,
      headers: { 'x-telegram-bot-api-secret-token': secret },
      payload: textUpdate(userId, 'I want to talk to a person about a withdrawal'),
    });
    const { conversation } = await conversationOf(userId);
    // Wait until the assistant's own messages (if any) are out, then rate-limit the next send.
    await expectEventually(async () => {
      const pending = await kefu.deps.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.conversationId, conversation.id), eq(outbox.status, 'pending')));
      expect(pending).toHaveLength(0);
    }, 10_000);
    bot.rateLimit(1, (body) => String(body.text).startsWith('We are checking'));
    const before = bot.calls.length;
    const text = `We are checking your withdrawal. ${'x'.repeat(4100)}`;
    const reply = await kefu.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversation.id}/messages`,
      headers: { cookie: admin.cookie },
      payload: { text, private: false },
    });
    expect(reply.statusCode, reply.body).toBe(201);
    await expectEventually(() => {
      const sends = bot.calls
        .slice(before)
        .filter((c) => c.method === 'sendMessage' && c.body.chat_id === userId);
      // Only this reply's parts (a queue or assignment notice may go out too): the first part
      // refused with 429 and sent again after retry_after, then the second part.
      const ours = sends
        .map((c) => String(c.body.text))
        .filter((t) => t.startsWith('We are checking') || /^x+$/.test(t));
      expect(ours).toHaveLength(3);
      expect(ours[0]).toBe(ours[1]);
      expect(ours.join('').length).toBeGreaterThan(4096);
    }, 10_000);
    await expectEventually(async () => {
      const rows = await kefu.deps.db
        .select()
        .from(outbox)
        .where(eq(outbox.conversationId, conversation.id));
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
    });
  }, 30_000);

  it("sends an agent's image with sendPhoto and a PDF with sendDocument", async () => {
    const { channel, token } = await connectBot('webhook');
    const secret = String(
      bot.calls.find((c) => c.method === 'setWebhook' && c.token === token)?.body.secret_token,
    );
    const userId = nextUserId++;
    for (const text of ['/human', 'Please send me the deposit receipt'])
      await kefu.app.inject({
        method: 'POST',
        url: `/api/v1/channels/telegram/${channel.inboxId}/webhook`,
        headers: { 'x-telegram-bot-api-secret-token': secret },
        payload: textUpdate(userId, text),
      });
    const { conversation } = await conversationOf(userId);
    const pdf = Buffer.from(
      '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    );
    const upload = (name: string, bytes: Buffer) =>
      uploadAttachment(kefu.deps, {
        uploader: { type: 'agent', id: admin.id },
        conversationId: conversation.id,
        filename: name,
        content: (async function* () {
          yield bytes;
        })(),
      });
    const image = await upload('receipt.png', PNG);
    const receipt = await upload('deposit-receipt.pdf', pdf);
    const before = bot.calls.length;
    const reply = await kefu.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversation.id}/messages`,
      headers: { cookie: admin.cookie },
      payload: {
        text: 'Here is your receipt.',
        private: false,
        attachmentIds: [image.id, receipt.id],
      },
    });
    expect(reply.statusCode, reply.body).toBe(201);
    const sent = await expectEventually(() => {
      const ours = bot.calls
        .slice(before)
        .filter((c) => c.body.chat_id === userId && c.method !== 'sendMessage');
      expect(ours.map((c) => c.method)).toEqual(['sendPhoto', 'sendDocument']);
      return ours;
    }, 10_000);
    const files = sent.map((c) => (c.body.files as UploadedFile[])[0]);
    expect(files[0]?.bytes.equals(PNG)).toBe(true);
    expect(files[1]?.bytes.equals(pdf)).toBe(true);
    expect(files[1]?.name).toBe('deposit-receipt.pdf');
    expect(
      bot.calls
        .slice(before)
        .some((c) => c.method === 'sendMessage' && c.body.text === 'Here is your receipt.'),
    ).toBe(true);
  }, 30_000);

  it('CSAT and "was this helpful?" buttons come back as callback queries', async () => {
    const { channel, token } = await connectBot('webhook');
    const secret = String(
      bot.calls.find((c) => c.method === 'setWebhook' && c.token === token)?.body.secret_token,
    );
    const post = (update: Update) =>
      kefu.app.inject({
        method: 'POST',
        url: `/api/v1/channels/telegram/${channel.inboxId}/webhook`,
        headers: { 'x-telegram-bot-api-secret-token': secret },
        payload: update,
      });
    const userId = nextUserId++;
    await post(textUpdate(userId, 'How long do KYC reviews take?'));
    const { conversation } = await conversationOf(userId);
    const keyboards = () =>
      bot.sent(userId).map((c) => JSON.stringify(c.body.reply_markup ?? null));
    const helpful = await expectEventually(() => {
      const data = keyboards()
        .map((k) => /"(h:[0-9a-f-]{36}:1)"/.exec(k)?.[1])
        .find(Boolean);
      expect(data).toBeTruthy();
      return String(data);
    }, 10_000);
    const callback = (data: string) => ({
      update_id: nextUpdateId++,
      callback_query: {
        id: `cb-${randomUUID()}`,
        from: { id: userId, is_bot: false, first_name: 'Li', language_code: 'en' },
        chat_instance: 'ci',
        data,
        message: {
          message_id: 1,
          date: Math.floor(Date.now() / 1000),
          chat: { id: userId, type: 'private' },
        },
      },
    });
    expect((await post(callback(helpful))).statusCode).toBe(200);

    const resolved = await kefu.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversation.id}/status`,
      headers: { cookie: admin.cookie },
      payload: { status: 'resolved' },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    await expectEventually(() => {
      expect(keyboards().some((k) => k.includes(`c:${conversation.id}:5`))).toBe(true);
    }, 10_000);
    expect((await post(callback(`c:${conversation.id}:4`))).statusCode).toBe(200);
    expect((await conversationOf(userId)).conversation.csatScore).toBe(4);
    const answers = bot.calls.filter(
      (c) => c.method === 'answerCallbackQuery' && c.token === token,
    );
    expect(answers.map((c) => String(c.body.text))).toEqual([
      'Thank you for your feedback.',
      `Thank you for rating ticket #${conversation.number}: 4/5.`,
    ]);
  }, 30_000);

  it('splits long text at Telegram’s limit', () => {
    const parts = splitForTelegram(`${'a'.repeat(4000)}\n${'b'.repeat(4000)}`);
    expect(parts).toEqual(['a'.repeat(4000), 'b'.repeat(4000)]);
    expect(splitForTelegram('x'.repeat(9000)).map((p) => p.length)).toEqual([4096, 4096, 808]);
  });
});
