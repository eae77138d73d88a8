import { randomUUID } from 'node:crypto';
import { connect as connectTcp } from 'node:net';
import { AGENT_SOCKET_EVENTS, CUSTOMER_SOCKET_EVENTS } from '@kefu/shared';
import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveSecuritySettings } from '../../src/settings/settings.ts';
import { connect, customerSession, listen, seedSupportDesk } from '../helpers/realtime.ts';
import { createTestKefu, seedAgent, type TestAgent, type TestKefu } from '../helpers/test-kefu.ts';
import { freePort } from './support.ts';

/**
 * Hostile input everywhere: generated bodies, params, query strings and headers for every route
 * of the OpenAPI document, payloads for every socket event of the catalog, malformed uploads and
 * malformed mail to the SMTP listener. Kefu answers each with a 4xx (or a 5xx SMTP refusal), never
 * a 500 or a 451, and never crashes or leaks an unhandled rejection.
 */

const RUNS = Math.max(10, Number(process.env.KEFU_RELIABILITY_FUZZ_RUNS ?? 12) || 12);

type Operation = {
  parameters?: { in: string; name: string }[];
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
};
type Doc = { paths: Record<string, Record<string, Operation>> };

let kefu: TestKefu;
let url: string;
let admin: TestAgent;
let contactToken: string;
let smtpPort: number;
let doc: Doc;
const SUPPORT = `support-${randomUUID().slice(0, 8)}@fuzz.example`;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  smtpPort = await freePort();
  kefu = await createTestKefu({
    env: {
      KEFU_SMTP_LISTEN_PORT: String(smtpPort),
      KEFU_SMTP_LISTEN_HOST: '127.0.0.1',
      KEFU_RATE_LIMIT_PUBLIC: '100000',
      KEFU_RATE_LIMIT_LOGIN: '100000',
      KEFU_UPLOAD_MAX_MB: '1',
      KEFU_SMTP_MAX_MB: '1',
    },
  });
  url = await listen(kefu);
  admin = await seedAgent(kefu, 'admin');
  const desk = await seedSupportDesk(kefu);
  contactToken = (await customerSession(url, desk.siteToken)).contactToken;
  const created = await kefu.app.inject({
    method: 'POST',
    url: '/api/v1/channels/email',
    headers: { cookie: admin.cookie },
    payload: { name: 'Fuzz mailbox', address: SUPPORT, smtpInbound: true },
  });
  expect(created.statusCode, created.body).toBe(201);
  doc = (await kefu.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await kefu?.close();
});

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '%00',
    '../../etc/passwd',
    "' or 1=1 --",
    '<script>alert(1)</script>',
    '$' + '{7*7}',
    '{{7*7}}',
    '\ud800',
    '客服'.repeat(300),
    'x'.repeat(5000),
    '-1',
    '1e309',
    'NaN',
    'true',
    'null',
    '[]',
    '{}',
    '00000000-0000-4000-8000-000000000000',
    '__proto__',
    'constructor',
  ),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1e308, true, false, null),
  fc.array(hostileString, { maxLength: 4 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);
const idLike = fc.oneof(
  fc.uuid(),
  fc.constant('00000000-0000-4000-8000-000000000000'),
  hostileString.map((s) => {
    try {
      return encodeURIComponent(s);
    } catch {
      return '%ZZ'; // a lone surrogate: send an invalid escape instead
    }
  }),
);

function operations() {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
}

/** Whole-body candidates: JSON of any shape, the route's own fields with hostile values, raw text. */
function bodies(op: Operation): fc.Arbitrary<{ raw: string; type: string } | undefined> {
  const props = Object.keys(
    op.requestBody?.content?.['application/json']?.schema?.properties ?? {},
  );
  const shaped = fc
    .record(Object.fromEntries(props.map((p) => [p, hostileValue])), { requiredKeys: [] })
    .map((b) => ({ raw: JSON.stringify(b), type: 'application/json' }));
  return fc.oneof(
    fc.constant(undefined),
    shaped,
    fc.jsonValue().map((v) => ({ raw: JSON.stringify(v), type: 'application/json' })),
    hostileString.map((s) => ({ raw: s, type: 'application/json' })),
    fc
      .tuple(
        hostileString,
        fc.constantFrom(
          'text/plain',
          'application/xml',
          'multipart/form-data',
          'application/x-www-form-urlencoded',
          'application/json; charset=utf-7',
          'nonsense',
        ),
      )
      .map(([raw, type]) => ({ raw, type })),
  );
}

function expectNoServerError(
  response: { statusCode: number; body: string; headers: Record<string, unknown> },
  label: string,
): void {
  expect(
    response.statusCode,
    `${label} → ${response.statusCode} ${response.body.slice(0, 300)}`,
  ).toBeLessThan(500);
  if (response.statusCode >= 400 && String(response.headers['content-type']).includes('json')) {
    const error = (JSON.parse(response.body) as { error?: { code?: string; message?: string } })
      .error;
    expect(error?.code, label).toBeTruthy();
    expect(error?.message?.length ?? 0, label).toBeGreaterThan(1);
  }
}

/** Keeps the admin usable: a generated request may sign it out or require 2FA for everyone. */
async function keepAdmin(): Promise<void> {
  await saveSecuritySettings(kefu.database.db, { requireTwoFactor: false });
  const me = await kefu.app.inject({
    method: 'GET',
    url: '/api/v1/auth/me',
    headers: { cookie: admin.cookie },
  });
  if (me.statusCode !== 200) admin = await seedAgent(kefu, 'admin');
}

describe('hostile HTTP requests to every route in the OpenAPI document', () => {
  it('the document lists the routes', () => {
    expect(operations().length).toBeGreaterThan(50);
  });

  it('never answers 5xx', async () => {
    const identity = fc.constantFrom('anonymous', 'customer', 'admin', 'garbage');
    for (const { method, path, op } of operations()) {
      const queryNames = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const query = fc.dictionary(
        fc.oneof(fc.constantFrom(...queryNames, 'limit', 'cursor', 'q'), hostileString),
        fc.oneof(hostileString, fc.array(hostileString, { maxLength: 3 })),
        { maxKeys: 4 },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            id: idLike,
            query,
            body: bodies(op),
            who: identity,
            language: fc.oneof(fc.constantFrom('zh-CN', 'en', 'xx', '*;q=abc'), hostileString),
          }),
          async ({ id, query: q, body, who, language }) => {
            const search = new URLSearchParams();
            for (const [k, v] of Object.entries(q))
              for (const one of Array.isArray(v) ? v : [v]) search.append(k, one);
            const target = `${path.replace(/\{[^}]+\}/g, id)}${search.size ? `?${search}` : ''}`;
            const headers: Record<string, string> = {
              'accept-language': language.replace(/[^\x20-\x7e]/g, '?'),
            };
            if (who === 'admin') headers.cookie = admin.cookie;
            if (who === 'customer') headers.authorization = `Bearer ${contactToken}`;
            if (who === 'garbage') {
              headers.cookie = `kefu_session=${headers['accept-language']}`;
              headers.authorization = `Bearer ${headers['accept-language']}`;
            }
            if (body) headers['content-type'] = body.type;
            const response = await kefu.app.inject({
              method: method as 'POST',
              url: target,
              headers,
              ...(body ? { payload: body.raw } : {}),
            });
            expectNoServerError(response, `${who} ${method} ${target}`);
          },
        ),
        { numRuns: RUNS },
      );
      await keepAdmin();
    }
    expect(unhandled).toEqual([]);
  });

  it('malformed and oversized uploads are refused with a 4xx', async () => {
    const boundary = 'fuzzboundary';
    const parts = fc.record({
      name: hostileString,
      filename: hostileString,
      type: fc.oneof(fc.constantFrom('image/png', 'application/pdf', 'text/html'), hostileString),
      bytes: fc.uint8Array({ maxLength: 2048 }),
      truncate: fc.boolean(),
      boundary: fc.oneof(fc.constant(boundary), hostileString),
    });
    const targets = [
      { url: '/api/v1/customer/attachments', auth: { authorization: `Bearer ${contactToken}` } },
      {
        url: '/api/v1/conversations/00000000-0000-4000-8000-000000000000/attachments',
        auth: { cookie: admin.cookie },
      },
    ];
    for (const target of targets) {
      await fc.assert(
        fc.asyncProperty(parts, async (p) => {
          const head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type}\r\n\r\n`;
          let payload = Buffer.concat([
            Buffer.from(head),
            Buffer.from(p.bytes),
            Buffer.from(`\r\n--${boundary}--\r\n`),
          ]);
          if (p.truncate) payload = payload.subarray(0, Math.floor(payload.length / 2));
          const response = await kefu.app.inject({
            method: 'POST',
            url: target.url,
            headers: {
              ...target.auth,
              'content-type': `multipart/form-data; boundary=${p.boundary}`,
            },
            payload,
          });
          expectNoServerError(response, `upload ${target.url}`);
        }),
        { numRuns: RUNS * 4 },
      );
    }
    // Over the limit (1 MB here): 413, streamed and discarded.
    const big = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(2 * 1024 * 1024),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const response = await kefu.app.inject({
      method: 'POST',
      url: '/api/v1/customer/attachments',
      headers: {
        authorization: `Bearer ${contactToken}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload: big,
    });
    expect(response.statusCode).toBe(413);
    expect(unhandled).toEqual([]);
  });
});

describe('hostile payloads for every socket event in the catalog', () => {
  const payload: fc.Arbitrary<unknown> = fc.oneof(
    hostileValue,
    fc.anything(),
    fc.record(
      {
        conversationId: idLike,
        clientMessageId: hostileString,
        text: hostileString,
        afterSeq: hostileValue,
        seq: hostileValue,
        typing: hostileValue,
        score: hostileValue,
        private: hostileValue,
        attachmentIds: hostileValue,
      },
      { requiredKeys: [] },
    ),
  );

  async function fuzzEvents(socket: Socket, events: readonly string[]) {
    for (const event of events) {
      await fc.assert(
        fc.asyncProperty(payload, async (p) => {
          const answer = (await socket.timeout(10_000).emitWithAck(event, p)) as {
            ok: boolean;
            error?: { code: string; message: string };
          };
          if (!answer.ok) {
            expect(answer.error?.code, `${event} ${JSON.stringify(p)}`).not.toBe('internal');
            expect(answer.error?.code).not.toBe('service.unavailable');
            expect(answer.error?.message.length ?? 0).toBeGreaterThan(1);
          }
          expect(socket.connected).toBe(true);
        }),
        { numRuns: RUNS * 2 },
      );
      // Without an ack callback, and with extra arguments, nothing breaks either.
      socket.emit(event, 'x', 1, 2);
      socket.emit(event);
    }
  }

  it('the customer namespace answers every event without an internal error', async () => {
    const customer = await connect(url, '/customer', { token: contactToken });
    try {
      await fuzzEvents(customer.socket, CUSTOMER_SOCKET_EVENTS);
      expect(customer.socket.connected).toBe(true);
    } finally {
      customer.socket.disconnect();
    }
    expect(unhandled).toEqual([]);
  });

  it('the agent namespace answers every event without an internal error', async () => {
    await keepAdmin();
    const agent = await connect(url, '/agent', { cookie: admin.cookie });
    try {
      await fuzzEvents(agent.socket, AGENT_SOCKET_EVENTS);
      expect(agent.socket.connected).toBe(true);
    } finally {
      agent.socket.disconnect();
    }
    expect(unhandled).toEqual([]);
  });
});

/** One SMTP conversation; resolves with the reply to the end of DATA (or the first refusal). */
function smtpSend(from: string, to: string, data: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(smtpPort, '127.0.0.1');
    const steps = [
      'EHLO fuzz.example\r\n',
      `MAIL FROM:<${from}>\r\n`,
      `RCPT TO:<${to}>\r\n`,
      'DATA\r\n',
    ];
    let buffer = '';
    let step = 0;
    let sentData = false;
    socket.setTimeout(20_000, () => {
      socket.destroy();
      reject(new Error(`SMTP timeout; got ${buffer}`));
    });
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      const lines = buffer.split('\r\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (/^\d{3}-/.test(line)) continue; // multi-line reply continues
        const code = Number(line.slice(0, 3));
        if (sentData) {
          socket.end('QUIT\r\n');
          return resolve(line);
        }
        if (code >= 400 && !(step === 4 && code === 354)) {
          socket.end('QUIT\r\n');
          return resolve(line);
        }
        if (step < steps.length) socket.write(steps[step++] as string);
        else if (code === 354) {
          sentData = true;
          // Dot-stuffing, as a client must; the body itself is hostile.
          const stuffed = data.toString('latin1').replace(/(^|\r\n)\./g, '$1..');
          socket.write(Buffer.from(`${stuffed}\r\n.\r\n`, 'latin1'));
        }
      }
    });
  });
}

describe('malformed mail to the SMTP listener', () => {
  it('is accepted (250) or refused (5xx), never a temporary failure', async () => {
    const header = fc.tuple(
      fc.constantFrom(
        'From',
        'To',
        'Subject',
        'Message-ID',
        'In-Reply-To',
        'References',
        'Date',
        'Content-Type',
        'Content-Transfer-Encoding',
        'Auto-Submitted',
        'X-Junk',
        'Reply-To',
      ),
      hostileString,
    );
    const mail = fc.record({
      headers: fc.array(header, { maxLength: 8 }),
      body: fc.oneof(
        hostileString,
        fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b).toString('latin1')),
      ),
      from: fc.oneof(fc.constant('customer@fuzz.example'), fc.emailAddress(), fc.constant('')),
      multipart: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(mail, async (m) => {
        const head = m.headers.map(([k, v]) => `${k}: ${v.replace(/\r|\n/g, ' ')}`).join('\r\n');
        const body = m.multipart
          ? `Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n${m.body}\r\n--b`
          : `\r\n${m.body}`;
        const reply = await smtpSend(m.from, SUPPORT, Buffer.from(`${head}\r\n${body}`, 'latin1'));
        expect(reply, reply).toMatch(/^(250|5\d\d)/);
      }),
      { numRuns: RUNS * 4 },
    );
    // Over the size limit: refused with 552, not stored.
    const huge = await smtpSend(
      'customer@fuzz.example',
      SUPPORT,
      Buffer.from(`Subject: big\r\n\r\n${'x'.repeat(76)}\r\n`.repeat(20_000)),
    );
    expect(huge).toMatch(/^552/);
    expect(unhandled).toEqual([]);
  });
});

describe('memory', () => {
  it('stays bounded after the flood of hostile input', async () => {
    const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
    const flood = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await kefu.app.inject({
          method: 'POST',
          url: '/api/v1/customer/messages',
          headers: { authorization: `Bearer ${contactToken}`, 'content-type': 'application/json' },
          payload: JSON.stringify({ clientMessageId: `m-${i}`, text: 'x'.repeat(900_000) }),
        });
      }
    };
    await flood(20);
    gc();
    const before = process.memoryUsage().heapUsed;
    await flood(200);
    gc();
    const after = process.memoryUsage().heapUsed;
    // Refused bodies are not kept: 200 near-megabyte bodies would be ~180 MB if they were.
    expect(after - before).toBeLessThan(100 * 1024 * 1024);
  });
});
