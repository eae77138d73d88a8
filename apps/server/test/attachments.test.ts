import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TMessage, TSendAck } from '@kefu/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachments } from '../src/attachments/schema.ts';
import {
  connect,
  customerSession,
  emitAck,
  listen,
  type SetupIds,
  seedSupportDesk,
} from './helpers/realtime.ts';
import { createTestKefu, seedAgent, type TestAgent, type TestKefu } from './helpers/test-kefu.ts';

/** A real 1×1 PNG (signature, IHDR, IDAT, IEND). */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
/** A minimal one-page PDF. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
/** The start of a Windows executable: what a "screenshot.png" from a scammer may really be. */
const EXE = Buffer.concat([
  Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'),
  Buffer.alloc(500),
]);

let kefu: TestKefu;
let url: string;
let desk: SetupIds;
let uploadDir: string;
let agentEn: TestAgent;
let agentZh: TestAgent;

const cmid = () => `c-${randomUUID()}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function form(bytes: Buffer, name: string, type: string): FormData {
  const body = new FormData();
  body.append('file', new Blob([bytes], { type }), name);
  return body;
}

async function upload(
  target: string,
  headers: Record<string, string>,
  bytes: Buffer,
  name: string,
  type = 'image/png',
) {
  const r = await fetch(`${url}${target}`, {
    method: 'POST',
    headers,
    body: form(bytes, name, type),
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

type Ref = { id: string; name: string; type: string; size: number };

async function customerUpload(token: string, bytes: Buffer, name: string, type?: string) {
  const r = await upload('/api/v1/customer/attachments', bearer(token), bytes, name, type);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as Ref;
}

async function download(id: string, headers: Record<string, string> = {}) {
  const r = await fetch(`${url}/api/v1/attachments/${id}`, { headers });
  return { status: r.status, headers: r.headers, bytes: Buffer.from(await r.arrayBuffer()) };
}

async function customerSend(token: string, body: Record<string, unknown>) {
  const r = await fetch(`${url}/api/v1/customer/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(token) },
    body: JSON.stringify({ clientMessageId: cmid(), ...body }),
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

async function agentApi(agent: TestAgent, method: string, target: string, body?: unknown) {
  const r = await fetch(`${url}${target}`, {
    method,
    headers: {
      cookie: agent.cookie,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

function errorCode(body: Record<string, unknown>): string {
  return (body.error as { code: string }).code;
}

beforeAll(async () => {
  uploadDir = mkdtempSync(path.join(os.tmpdir(), 'kefu-uploads-'));
  kefu = await createTestKefu({
    env: { KEFU_UPLOAD_DIR: uploadDir, KEFU_RATE_LIMIT_PUBLIC: '10000' },
  });
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
  agentEn = await seedAgent(kefu, 'agent', { teamIds: [desk.teamEn], languages: ['en'] });
  agentZh = await seedAgent(kefu, 'agent', { teamIds: [desk.teamZh], languages: ['zh-CN'] });
});
afterAll(async () => {
  await kefu.close();
  rmSync(uploadDir, { recursive: true, force: true });
});

describe('attachments between a customer and an agent', () => {
  it('a customer sends a screenshot; only the right people can fetch it', async () => {
    const alice = await customerSession(url, desk.siteToken);
    const bob = await customerSession(url, desk.siteToken);
    const ref = await customerUpload(alice.contactToken, PNG, 'deposit 截图.png');
    expect(ref).toMatchObject({ name: 'deposit 截图.png', type: 'image/png', size: PNG.length });

    // Stored by a random key with its hash recorded, never under the client's name.
    const [row] = await kefu.deps.db.select().from(attachments).where(eq(attachments.id, ref.id));
    expect(row?.sha256).toBe(createHash('sha256').update(PNG).digest('hex'));
    expect(row?.storageKey).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{32}$/);
    expect(readFileSync(path.join(uploadDir, row?.storageKey ?? 'missing'))).toEqual(PNG);
    expect(readdirSync(uploadDir, { recursive: true }).join('\n')).not.toContain('deposit');

    // Before it is sent, only its uploader may fetch it.
    expect((await download(ref.id, bearer(alice.contactToken))).status).toBe(200);
    expect((await download(ref.id, bearer(bob.contactToken))).status).toBe(404);
    expect((await download(ref.id, { cookie: agentEn.cookie })).status).toBe(404);

    // Bob cannot send Alice's upload as his own.
    const stolen = await customerSend(bob.contactToken, {
      text: 'look at this',
      attachmentIds: [ref.id],
    });
    expect(stolen.status).toBe(404);
    expect(errorCode(stolen.body)).toBe('attachment.not_found');

    const customer = await connect(url, '/customer', { token: alice.contactToken });
    let conversationId: string;
    try {
      const ack = await emitAck<TSendAck>(customer.socket, 'message:send', {
        clientMessageId: cmid(),
        text: 'My USDT deposit has not arrived, screenshot attached',
        attachmentIds: [ref.id],
      });
      if (!ack.ok) throw new Error(ack.error.message);
      expect(ack.message.attachments).toEqual([ref]);
      conversationId = ack.message.conversationId;
    } finally {
      customer.socket.disconnect();
    }

    // The agent of the conversation's team sees the ref and downloads the same bytes.
    const listed = await agentApi(
      agentEn,
      'GET',
      `/api/v1/conversations/${conversationId}/messages`,
    );
    expect(listed.status).toBe(200);
    const messages = listed.body.messages as TMessage[];
    expect(messages.find((m) => m.senderType === 'contact')?.attachments).toEqual([ref]);
    const got = await download(ref.id, { cookie: agentEn.cookie });
    expect(got.status).toBe(200);
    expect(got.bytes.equals(PNG)).toBe(true);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    const disposition = got.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment;/);
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent('deposit 截图.png')}`);

    // Its owner still can; another customer, an agent of another team and anonymous callers cannot.
    expect((await download(ref.id, bearer(alice.contactToken))).bytes.equals(PNG)).toBe(true);
    const other = await download(ref.id, bearer(bob.contactToken));
    expect(other.status).toBe(404);
    expect(other.bytes.toString()).toContain('attachment.not_found');
    expect((await agentApi(agentZh, 'GET', `/api/v1/conversations/${conversationId}`)).status).toBe(
      404,
    );
    expect((await download(ref.id, { cookie: agentZh.cookie })).status).toBe(404);
    expect((await download(ref.id)).status).toBe(401);
    expect((await download(randomUUID(), { cookie: agentEn.cookie })).status).toBe(404);

    // Once sent, a file cannot be sent again.
    const again = await customerSend(alice.contactToken, {
      conversationId,
      text: 'again',
      attachmentIds: [ref.id],
    });
    expect(again.status).toBe(404);
  });

  it('an agent attaches a PDF to a reply; the customer can fetch it, not attach it', async () => {
    const alice = await customerSession(url, desk.siteToken);
    const bob = await customerSession(url, desk.siteToken);
    const first = await customerSend(alice.contactToken, { text: 'I need my deposit statement' });
    expect(first.status).toBe(201);
    const conversationId = (first.body.message as TMessage).conversationId;

    // An agent who may not see the conversation cannot upload to it.
    const refused = await upload(
      `/api/v1/conversations/${conversationId}/attachments`,
      { cookie: agentZh.cookie },
      PDF,
      'statement.pdf',
      'application/pdf',
    );
    expect(refused.status).toBe(404);

    const uploaded = await upload(
      `/api/v1/conversations/${conversationId}/attachments`,
      { cookie: agentEn.cookie },
      PDF,
      'statement.pdf',
      'application/pdf',
    );
    expect(uploaded.status).toBe(201);
    const ref = uploaded.body as Ref;
    expect(ref).toMatchObject({ name: 'statement.pdf', type: 'application/pdf', size: PDF.length });

    // Not yet sent: the customer cannot see it, nor send it as theirs.
    expect((await download(ref.id, bearer(alice.contactToken))).status).toBe(404);
    const hijack = await customerSend(alice.contactToken, {
      conversationId,
      text: 'here',
      attachmentIds: [ref.id],
    });
    expect(hijack.status).toBe(404);
    expect(errorCode(hijack.body)).toBe('attachment.not_found');

    // A reply with only the file, no text.
    const reply = await agentApi(
      agentEn,
      'POST',
      `/api/v1/conversations/${conversationId}/messages`,
      {
        text: '',
        clientMessageId: cmid(),
        attachmentIds: [ref.id],
      },
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.text).toBe('');
    expect(reply.body.attachments).toEqual([ref]);

    const got = await download(ref.id, bearer(alice.contactToken));
    expect(got.status).toBe(200);
    expect(got.bytes.equals(PDF)).toBe(true);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect((await download(ref.id, bearer(bob.contactToken))).status).toBe(404);
    expect((await download(ref.id, { cookie: agentZh.cookie })).status).toBe(404);

    // A file in a private note never reaches the customer.
    const noteFile = await upload(
      `/api/v1/conversations/${conversationId}/attachments`,
      { cookie: agentEn.cookie },
      PNG,
      'internal.png',
    );
    const noteRef = noteFile.body as Ref;
    const agentSocket = await connect(url, '/agent', { cookie: agentEn.cookie });
    try {
      const note = await emitAck<TSendAck>(agentSocket.socket, 'message:send', {
        conversationId,
        clientMessageId: cmid(),
        text: 'Ledger screenshot for L2',
        private: true,
        attachmentIds: [noteRef.id],
      });
      if (!note.ok) throw new Error(note.error.message);
      expect(note.message.attachments).toEqual([noteRef]);
    } finally {
      agentSocket.socket.disconnect();
    }
    expect((await download(noteRef.id, { cookie: agentEn.cookie })).status).toBe(200);
    expect((await download(noteRef.id, bearer(alice.contactToken))).status).toBe(404);
  });

  it('a customer message may be only an attachment; an empty message is refused', async () => {
    const carol = await customerSession(url, desk.siteToken);
    const ref = await customerUpload(carol.contactToken, PDF, 'kyc.pdf', 'application/pdf');
    const sent = await customerSend(carol.contactToken, { attachmentIds: [ref.id] });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const message = sent.body.message as TMessage;
    expect(message.text).toBe('');
    expect(message.attachments).toEqual([ref]);

    const empty = await customerSend(carol.contactToken, { text: '  ' });
    expect(empty.status).toBe(400);
    expect((empty.body.error as { message: string }).message).toContain('cannot be empty');
    const tooMany = await customerSend(carol.contactToken, {
      attachmentIds: Array.from({ length: 6 }, () => randomUUID()),
    });
    expect(tooMany.status).toBe(400);
  });
});

describe('what an upload may be', () => {
  it('refuses a file over KEFU_UPLOAD_MAX_MB with 413 naming the limit', async () => {
    const dave = await customerSession(url, desk.siteToken);
    // A PNG header on 11 MB: the size decides, not the type.
    const big = Buffer.concat([PNG, Buffer.alloc(11 * 1024 * 1024)]);
    const r = await upload(
      '/api/v1/customer/attachments',
      bearer(dave.contactToken),
      big,
      'big.png',
    );
    expect(r.status).toBe(413);
    expect(errorCode(r.body)).toBe('attachment.too_large');
    expect((r.body.error as { message: string }).message).toContain('10 MB');
    const zh = await fetch(`${url}/api/v1/customer/attachments`, {
      method: 'POST',
      headers: { ...bearer(dave.contactToken), 'accept-language': 'zh-CN' },
      body: form(big, 'big.png', 'image/png'),
    });
    expect(zh.status).toBe(413);
    expect(((await zh.json()) as { error: { message: string } }).error.message).toContain('10 MB');
    // Nothing of it was kept.
    const incoming = path.join(uploadDir, '.incoming');
    expect(existsSync(incoming) ? readdirSync(incoming) : []).toEqual([]);
  });

  it('recognises the type by content: an executable named .png is refused with 415', async () => {
    const erin = await customerSession(url, desk.siteToken);
    const r = await upload(
      '/api/v1/customer/attachments',
      bearer(erin.contactToken),
      EXE,
      'screenshot.png',
      'image/png',
    );
    expect(r.status).toBe(415);
    expect(errorCode(r.body)).toBe('attachment.type_not_allowed');
    expect((r.body.error as { message: string }).message).toContain('PNG, JPEG, GIF, WEBP, PDF');
    const html = await upload(
      '/api/v1/customer/attachments',
      bearer(erin.contactToken),
      Buffer.from('<html><script>alert(1)</script></html>'),
      'receipt.pdf',
      'application/pdf',
    );
    expect(html.status).toBe(415);
    // A real PDF sent under a misleading name and type is stored as what it is.
    const pdf = await customerUpload(erin.contactToken, PDF, 'photo.jpg', 'image/jpeg');
    expect(pdf).toMatchObject({ type: 'application/pdf', name: 'photo.jpg.pdf' });
  });

  it('needs a customer token or an agent session', async () => {
    const anonymous = await fetch(`${url}/api/v1/customer/attachments`, {
      method: 'POST',
      body: form(PNG, 'a.png', 'image/png'),
    });
    expect(anonymous.status).toBe(401);
    const agentNoSession = await fetch(`${url}/api/v1/conversations/${randomUUID()}/attachments`, {
      method: 'POST',
      body: form(PNG, 'a.png', 'image/png'),
    });
    expect(agentNoSession.status).toBe(401);
    const frank = await customerSession(url, desk.siteToken);
    const notMultipart = await fetch(`${url}/api/v1/customer/attachments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(frank.contactToken) },
      body: JSON.stringify({ file: 'x' }),
    });
    expect(notMultipart.status).toBe(400);
  });
});
