import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Call = { token: string; method: string; body: Record<string, unknown> };
export type Update = Record<string, unknown> & { update_id: number };

// A 1×1 PNG: what getFile's download serves.
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

export type UploadedFile = { field: string; name: string; bytes: Buffer };

/** A Bot API request body: JSON, or multipart when grammy uploads a file (files listed apart). */
async function parseBody(contentType: string, raw: Buffer): Promise<Record<string, unknown>> {
  if (!contentType.startsWith('multipart/form-data'))
    return (raw.length ? JSON.parse(raw.toString()) : {}) as Record<string, unknown>;
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1] ?? '';
  const body: Record<string, unknown> = {};
  const files: UploadedFile[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let at = raw.indexOf(delimiter);
  while (at !== -1) {
    const next = raw.indexOf(delimiter, at + delimiter.length);
    if (next === -1) break;
    const part = raw.subarray(at + delimiter.length + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString();
    const content = part.subarray(split + 4);
    const field = /name="([^"]*)"/.exec(head)?.[1] ?? '';
    const filename = /filename="?([^"\r\n;]*)"?/.exec(head)?.[1];
    if (filename !== undefined) files.push({ field, name: filename, bytes: Buffer.from(content) });
    else {
      const value = content.toString();
      body[field] = /^-?\d+$/.test(value) ? Number(value) : value;
    }
    at = next;
  }
  body.files = files;
  return body;
}

/**
 * A fake Telegram Bot API on loopback: records calls, serves getUpdates from a queue. Like
 * Telegram, it answers 409 Conflict to a getUpdates while another one for the same bot is open.
 */
export async function startFakeBotApi() {
  const calls: Call[] = [];
  const updates: { token: string; update: Update }[] = [];
  let rateLimitNext = 0;
  let rateLimitWhen: (body: Record<string, unknown>) => boolean = () => true;
  let messageId = 1000;
  /** Bots with a getUpdates open now, and the bots a second caller collided with. */
  const polling = new Set<string>();
  const conflicts: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = request.url ?? '/';
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (url.startsWith('/file/')) {
        response.writeHead(200, { 'content-type': 'image/png' });
        response.end(PNG);
        return;
      }
      const match = /^\/bot([^/]+)\/(\w+)/.exec(url);
      if (!match) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
      const [, token = '', method = ''] = match;
      void parseBody(request.headers['content-type'] ?? '', Buffer.concat(chunks)).then((body) => {
        calls.push({ token, method, body });
        const ok = (result: unknown) => send(200, { ok: true, result });
        switch (method) {
          case 'getMe':
            // The bot id is the token's first part, as with Telegram.
            return ok({
              id: Number(token.split(':')[0]),
              is_bot: true,
              first_name: 'Kefu',
              username: 'kefu_test_bot',
            });
          case 'setWebhook':
          case 'deleteWebhook':
          case 'answerCallbackQuery':
          case 'editMessageReplyMarkup':
            return ok(true);
          case 'getUpdates': {
            if (polling.has(token)) {
              conflicts.push(token);
              return send(409, {
                ok: false,
                error_code: 409,
                description:
                  'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
              });
            }
            const offset = typeof body.offset === 'number' ? body.offset : 0;
            const due = () =>
              updates
                .filter((u) => u.token === token && u.update.update_id >= offset)
                .map((u) => u.update);
            // A short long-poll: answer at once when something is due.
            if (due().length > 0) return ok(due());
            polling.add(token);
            setTimeout(() => {
              polling.delete(token);
              ok(due());
            }, 100);
            return;
          }
          case 'getFile':
            return ok({
              file_id: body.file_id,
              file_unique_id: 'u1',
              file_size: PNG.length,
              file_path: 'photos/file_1.png',
            });
          case 'sendMessage':
          case 'sendPhoto':
          case 'sendDocument':
            if (rateLimitNext > 0 && rateLimitWhen(body)) {
              rateLimitNext--;
              return send(429, {
                ok: false,
                error_code: 429,
                description: 'Too Many Requests: retry after 1',
                parameters: { retry_after: 1 },
              });
            }
            return ok({
              message_id: messageId++,
              date: Math.floor(Date.now() / 1000),
              chat: { id: body.chat_id, type: 'private' },
              text: body.text,
            });
          default:
            return send(404, {
              ok: false,
              error_code: 404,
              description: `unknown method ${method}`,
            });
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    conflicts,
    push: (token: string, update: Update) => updates.push({ token, update }),
    /** The next `times` sends matching `when` get a 429 with retry_after 1. */
    rateLimit: (times: number, when: (body: Record<string, unknown>) => boolean) => {
      rateLimitNext = times;
      rateLimitWhen = when;
    },
    sent: (chatId: number) =>
      calls.filter((c) => c.method === 'sendMessage' && c.body.chat_id === chatId),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
